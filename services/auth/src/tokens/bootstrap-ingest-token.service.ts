import { randomUUID } from 'node:crypto';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DatabaseService, type TenantId } from '@optralis/db';

import { AuditRecorder } from '../audit/audit-recorder';
import { adoptToken, issueToken } from './token-format';
import { TokensRepository } from './tokens.repository';

export interface BootstrapIngestOptions {
  /** OPTRALIS_BOOTSTRAP_INGEST_TOKEN, already validated by the config schema. */
  token?: string;
  pollIntervalMs: number;
  waitForTenantMs: number;
  /** Where a generated token is printed, once. */
  print(line: string): void;
}

export const BOOTSTRAP_INGEST_OPTIONS = Symbol('BOOTSTRAP_INGEST_OPTIONS');
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

/**
 * CONTRACT.md "First start": once tenant `default` exists, it gets an ingest token named `bootstrap`
 * — the configured one, or a generated one printed once. Idempotent and race-free across instances.
 */
@Injectable()
export class BootstrapIngestToken implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BootstrapIngestToken.name);
  private stopping = false;
  private done?: Promise<'created' | 'exists' | 'gave-up'>;

  constructor(
    private readonly database: DatabaseService,
    private readonly repository: TokensRepository,
    private readonly audit: AuditRecorder,
    @Inject(BOOTSTRAP_INGEST_OPTIONS) private readonly options: BootstrapIngestOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.done = this.database.whenReady().then(() => this.run());
    this.done.catch((error: unknown) =>
      this.logger.error({ error: (error as Error).message }, 'bootstrap ingest token not created'),
    );
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }

  whenDone(): Promise<'created' | 'exists' | 'gave-up'> {
    return this.done ?? Promise.reject(new Error('not started'));
  }

  async run(): Promise<'created' | 'exists' | 'gave-up'> {
    const tenantId = await this.waitForDefaultTenant();
    if (!tenantId) {
      this.logger.warn(
        { waitedMs: this.options.waitForTenantMs },
        'tenant default not found; no bootstrap ingest token',
      );
      return 'gave-up';
    }
    const issued = this.options.token ? adoptToken(this.options.token) : issueToken('ingest');
    const id = randomUUID();
    const result = await this.repository.insertBootstrapIngestToken(tenantId, {
      id,
      kind: 'ingest',
      name: BOOTSTRAP_TOKEN_NAME,
      role: null,
      prefix: issued.prefix,
      hash: issued.hash,
      createdBy: 'bootstrap',
      expiresAt: null,
    });
    if (result === 'exists') return result;
    if (!this.options.token)
      this.options.print(`Optralis bootstrap ingest token (shown once): ${issued.token}`);
    this.logger.log({ tenantId, prefix: issued.prefix }, 'bootstrap ingest token created');
    await this.audit.record({
      tenantId,
      actor: { type: 'system', id: 'bootstrap' },
      action: 'ingest_token.created',
      target: { type: 'ingest_token', id },
      data: {
        name: BOOTSTRAP_TOKEN_NAME,
        prefix: issued.prefix,
        fromEnvironment: Boolean(this.options.token),
      },
    });
    return result;
  }

  private async waitForDefaultTenant(): Promise<TenantId | undefined> {
    const deadline = Date.now() + this.options.waitForTenantMs;
    for (;;) {
      const tenantId = await this.repository.findDefaultTenant();
      if (tenantId || this.stopping || Date.now() >= deadline) return tenantId;
      await new Promise((resolve) => setTimeout(resolve, this.options.pollIntervalMs).unref());
    }
  }
}
