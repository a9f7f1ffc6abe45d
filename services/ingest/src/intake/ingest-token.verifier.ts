import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TOKEN_PREFIX_PATTERN } from '@optralis/contracts';
import { decodeJson, NatsConnectionService, RpcClient, RpcError } from '@optralis/nats';
import { VerifiedTokenCache } from '@optralis/service-kit';
import type { Subscription } from 'nats';

import { INGEST_CONFIG } from '../ingest.config.provider';
import type { IngestConfig } from '../config';
import { IntakeError } from './intake.errors';

export interface IngestIdentity {
  tenantId: string;
  tokenId: string;
  name: string;
}

/** auth broadcasts revocations here on core NATS (services/auth token-revocations.subscriber.ts). */
const TOKEN_REVOKED_SUBJECT = 'auth.tokens.revoked';
const MAX_TOKEN_LENGTH = 256;

/** Turns `Authorization: Bearer|Token <ingest token>` into the tenant it belongs to. */
@Injectable()
export class IngestTokenVerifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngestTokenVerifier.name);
  private readonly cache: VerifiedTokenCache<IngestIdentity>;
  private subscription?: Subscription;

  constructor(
    private readonly rpc: RpcClient,
    private readonly nats: NatsConnectionService,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    this.cache = new VerifiedTokenCache<IngestIdentity>(config.INGEST_TOKEN_CACHE_SECONDS * 1000);
  }

  onApplicationBootstrap(): void {
    this.nats.connect().then(
      (connection) => {
        this.subscription = connection.subscribe(this.nats.namespace.subject(TOKEN_REVOKED_SUBJECT), {
          callback: (error, message) => {
            if (error) return;
            const decoded = decodeJson(message.data);
            const prefix = decoded.ok ? (decoded.value as { prefix?: unknown } | null)?.prefix : undefined;
            if (typeof prefix === 'string' && TOKEN_PREFIX_PATTERN.test(prefix))
              this.cache.invalidate(prefix);
          },
        });
        void this.clearOnReconnect();
      },
      (error: unknown) =>
        this.logger.error({ error: (error as Error).message }, 'revocations not subscribed'),
    );
  }

  onApplicationShutdown(): void {
    if (this.subscription && !this.subscription.isClosed()) this.subscription.unsubscribe();
  }

  async verify(authorization: string | undefined): Promise<IngestIdentity> {
    const token = parseAuthorization(authorization);
    const cached = this.cache.get(token);
    if (cached) return cached;
    if (cached === null) throw invalidToken();
    const identity = await this.ask(token);
    this.cache.set(token, identity);
    if (!identity) throw invalidToken();
    return identity;
  }

  private async ask(token: string): Promise<IngestIdentity | null> {
    try {
      const reply = await this.rpc.call('rpc.auth.tokens.verify', { token });
      if (reply.kind !== 'ingest') return null;
      return { tenantId: reply.tenantId, tokenId: reply.tokenId, name: reply.name };
    } catch (error) {
      if (error instanceof RpcError && (error.code === 'unauthorized' || error.code === 'invalid_request'))
        return null;
      this.logger.warn({ error: (error as Error).message }, 'token verification unavailable');
      throw new IntakeError(
        503,
        'Authentication unavailable',
        'the token could not be verified right now; retry',
        {
          retryAfterSeconds: 2,
        },
      );
    }
  }

  private async clearOnReconnect(): Promise<void> {
    const connection = await this.nats.connect();
    for await (const status of connection.status()) {
      if (status.type === 'reconnect') this.cache.clear();
    }
  }
}

function parseAuthorization(header: string | undefined): string {
  const match = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) {
    throw new IntakeError(401, 'Unauthorized', 'send an ingest token as "Authorization: Bearer <token>"');
  }
  if (match[1].length > MAX_TOKEN_LENGTH) throw invalidToken();
  return match[1];
}

function invalidToken(): IntakeError {
  return new IntakeError(401, 'Unauthorized', 'the ingest token is not valid');
}
