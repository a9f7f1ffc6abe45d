import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TOKEN_PREFIX_PATTERN } from '@optralis/contracts';
import { decodeJson, encodeJson, NatsConnectionService } from '@optralis/nats';
import type { NatsConnection, Subscription } from 'nats';

import { TokenCache } from './token-cache';

/** Core NATS (not JetStream): every instance must hear it, and only instances alive now need to. */
export const TOKEN_REVOKED_SUBJECT = 'auth.tokens.revoked';

/**
 * Fans a revocation out to every auth instance's cache. A reconnect clears the whole cache, since
 * revocations sent while this instance was away are lost.
 */
@Injectable()
export class TokenRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenRevocations.name);
  private subscription?: Subscription;
  private listening?: Promise<void>;

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly cache: TokenCache,
  ) {}

  onApplicationBootstrap(): void {
    this.listening = this.nats.connect().then((connection) => this.listen(connection));
    this.listening.catch((error: unknown) =>
      this.logger.error({ error: (error as Error).message }, 'revocations not subscribed'),
    );
  }

  /** Resolves once this instance hears revocations. */
  whenListening(): Promise<void> {
    return this.listening ?? Promise.reject(new Error('not started'));
  }

  async announce(prefix: string): Promise<void> {
    this.cache.invalidate(prefix);
    const connection = await this.nats.connect();
    connection.publish(this.nats.namespace.subject(TOKEN_REVOKED_SUBJECT), encodeJson({ prefix }));
    await connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.subscription?.isClosed()) this.subscription?.unsubscribe();
  }

  private listen(connection: NatsConnection): void {
    this.subscription = connection.subscribe(this.nats.namespace.subject(TOKEN_REVOKED_SUBJECT), {
      callback: (error, message) => {
        if (error) return this.logger.warn({ error: error.message }, 'revocation subscription error');
        const decoded = decodeJson(message.data);
        const body = decoded.ok && typeof decoded.value === 'object' ? decoded.value : null;
        const prefix = (body as { prefix?: unknown } | null)?.prefix;
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
