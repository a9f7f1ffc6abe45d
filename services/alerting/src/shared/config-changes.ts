import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NatsConnectionService } from '@optralis/nats';
import type { Subscription } from 'nats';

export type ConfigKind = 'rules' | 'channels' | 'maintenance' | 'escalation' | 'settings';
export interface ConfigChange {
  kind: ConfigKind;
  tenantId: string;
}
interface ConfigChangeNotice extends ConfigChange {
  origin?: string;
}

const SUBJECT = 'alerting.config.changed';

/**
 * Tells every alerting instance that a tenant's configuration changed, so caches (rule index,
 * maintenance calendar, settings) reload at once instead of at their next periodic refresh.
 */
@Injectable()
export class ConfigChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigChanges.name);
  private readonly emitter = new EventEmitter();
  private readonly origin = randomUUID();
  private subscription?: Subscription;

  constructor(private readonly nats: NatsConnectionService) {
    this.emitter.setMaxListeners(100);
  }

  onModuleInit(): void {
    void this.nats
      .connect()
      .then((connection) => {
        const subscription = connection.subscribe(this.nats.namespace.subject(SUBJECT));
        this.subscription = subscription;
        void (async () => {
          for await (const message of subscription) {
            try {
              const change = JSON.parse(new TextDecoder().decode(message.data)) as ConfigChangeNotice;
              if (change.origin !== this.origin)
                this.emitter.emit('change', { kind: change.kind, tenantId: change.tenantId });
            } catch {
              this.logger.warn('ignored a malformed config change notice');
            }
          }
        })();
      })
      .catch((error: unknown) =>
        this.logger.warn({ error: (error as Error).message }, 'no config change feed'),
      );
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** Call after the change is committed. */
  notify(change: ConfigChange): void {
    this.emitter.emit('change', change);
    if (!this.nats.isConnected()) return;
    void this.nats
      .connect()
      .then((connection) =>
        connection.publish(
          this.nats.namespace.subject(SUBJECT),
          new TextEncoder().encode(JSON.stringify({ ...change, origin: this.origin })),
        ),
      )
      .catch(() => undefined);
  }

  on(listener: (change: ConfigChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
