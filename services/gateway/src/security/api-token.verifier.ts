import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TOKEN_PREFIX_PATTERN } from '@optralis/contracts';
import { decodeJson, NatsConnectionService } from '@optralis/nats';
import { VerifiedTokenCache } from '@optralis/service-kit';
import type { NatsConnection, Subscription } from 'nats';

import type { GatewayConfig } from '../config';
import { Downstream } from '../downstream/downstream.service';
import { GATEWAY_CONFIG } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import type { GatewayActor } from './actor';

/** auth broadcasts revocations here on core NATS (services/auth token-revocations.subscriber.ts). */
export const TOKEN_REVOKED_SUBJECT = 'auth.tokens.revoked';
const REFUSAL_CODES = new Set(['unauthorized', 'invalid_request']);

/**
 * Verifies `opt_api_…` tokens through `rpc.auth.tokens.verify`, caching answers briefly; a revocation
 * broadcast drops the token at once and a NATS reconnect drops them all (broadcasts may have been missed).
 */
@Injectable()
export class ApiTokenVerifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiTokenVerifier.name);
  private readonly cache: VerifiedTokenCache<GatewayActor>;
  private subscription?: Subscription;

  constructor(
    private readonly downstream: Downstream,
    private readonly nats: NatsConnectionService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.cache = new VerifiedTokenCache<GatewayActor>(config.GATEWAY_API_TOKEN_CACHE_SECONDS * 1000);
  }

  onApplicationBootstrap(): void {
    this.nats.connect().then(
      (connection) => this.listen(connection),
      (error: unknown) =>
        this.logger.error({ error: (error as Error).message }, 'revocations not subscribed'),
    );
  }

  onApplicationShutdown(): void {
    if (this.subscription && !this.subscription.isClosed()) this.subscription.unsubscribe();
  }

  async verify(token: string): Promise<GatewayActor> {
    const cached = this.cache.get(token);
    if (cached) return cached;
    if (cached === null) throw refused();
    const actor = await this.ask(token);
    this.cache.set(token, actor);
    if (!actor) throw refused();
    return actor;
  }

  private async ask(token: string): Promise<GatewayActor | null> {
    try {
      const reply = await this.downstream.call('rpc.auth.tokens.verify', { token });
      if (reply.kind !== 'api' || !reply.role) return null;
      return {
        credential: 'api_token',
        userId: reply.tokenId,
        tenantId: reply.tenantId,
        role: reply.role,
        tokenName: reply.name,
      };
    } catch (error) {
      if (error instanceof ProblemError && REFUSAL_CODES.has(error.problem.code)) return null;
      throw error;
    }
  }

  private listen(connection: NatsConnection): void {
    this.subscription = connection.subscribe(this.nats.namespace.subject(TOKEN_REVOKED_SUBJECT), {
      callback: (error, message) => {
        if (error) return this.logger.warn({ error: error.message }, 'revocation subscription error');
        const decoded = decodeJson(message.data);
        const prefix = decoded.ok ? (decoded.value as { prefix?: unknown } | null)?.prefix : undefined;
        if (typeof prefix === 'string' && TOKEN_PREFIX_PATTERN.test(prefix)) this.cache.invalidate(prefix);
      },
    });
    void this.clearOnReconnect(connection);
  }

  private async clearOnReconnect(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'reconnect') this.cache.clear();
    }
  }
}

function refused(): ProblemError {
  return ProblemError.unauthorized('the API token is not valid, expired or revoked', 'token_invalid');
}
