import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { STREAMS, type StreamDefinition } from '@optralis/contracts';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';

import { NatsNamespace } from './namespace';
import { NATS_OPTIONS, type NatsOptions } from './nats.options';
import { ensureStream } from './provisioning';

const FLUSH_TIMEOUT_MS = 2000;

/** One connection per process: reconnects for ever, provisions the contract streams, drains on shutdown. */
@Injectable()
export class NatsConnectionService implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsConnectionService.name);
  readonly namespace: NatsNamespace;
  private connection?: NatsConnection;
  private connecting?: Promise<NatsConnection>;
  private provisioned?: Promise<void>;
  private manager?: JetStreamManager;
  private disconnected = false;

  constructor(@Inject(NATS_OPTIONS) readonly options: NatsOptions) {
    this.namespace = new NatsNamespace(options.namespace ?? '');
  }

  connect(): Promise<NatsConnection> {
    this.connecting ??= connect({
      servers: this.options.servers.split(',').map((server) => server.trim()),
      name: `optralis-${this.options.service}`,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      waitOnFirstConnect: true,
      // Building an Error per publish for async stack traces costs ~23 % of CPU (PERF-NOTES.md).
      noAsyncTraces: true,
    }).then((connection) => {
      this.connection = connection;
      this.logger.log({ server: connection.getServer() }, 'connected to NATS');
      void this.watchStatus(connection);
      return connection;
    });
    return this.connecting;
  }

  /** Connected, and every stream of the contract exists with its current definition. */
  async ready(): Promise<NatsConnection> {
    const connection = await this.connect();
    this.provisioned ??= this.provisionStreams(Object.values(STREAMS)).catch((error: unknown) => {
      this.provisioned = undefined;
      throw error;
    });
    await this.provisioned;
    return connection;
  }

  /** False while the client is reconnecting or closed: callers can refuse work at once instead of waiting. */
  isConnected(): boolean {
    return !!this.connection && !this.connection.isClosed() && !this.disconnected;
  }

  async jetstream(): Promise<JetStreamClient> {
    return (await this.connect()).jetstream();
  }

  async jetstreamManager(): Promise<JetStreamManager> {
    this.manager ??= await (await this.connect()).jetstreamManager();
    return this.manager;
  }

  async provisionStreams(definitions: StreamDefinition[]): Promise<void> {
    const manager = await this.jetstreamManager();
    for (const definition of definitions) {
      const namespaced = this.namespace.stream(definition);
      const result = await ensureStream(manager, namespaced);
      if (result !== 'unchanged') this.logger.log({ stream: namespaced.name, result }, 'stream provisioned');
    }
  }

  readinessChecks(): { name: string; check(): Promise<void> }[] {
    return [
      {
        name: 'nats',
        check: async () => {
          const connection = this.connection;
          if (!connection) throw new Error(`not connected to ${this.options.servers}`);
          if (connection.isClosed()) throw new Error('connection closed');
          await Promise.race([
            connection.flush(),
            new Promise((_, reject) =>
              setTimeout(
                () =>
                  reject(new Error(`no answer from ${connection.getServer()} within ${FLUSH_TIMEOUT_MS} ms`)),
                FLUSH_TIMEOUT_MS,
              ).unref(),
            ),
          ]);
          if (!this.provisioned) throw new Error('streams not provisioned yet');
        },
      },
    ];
  }

  async close(): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.isClosed()) return;
    try {
      await connection.drain();
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'NATS drain failed; closing');
      await connection.close();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async watchStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') this.disconnected = true;
      if (status.type === 'reconnect') this.disconnected = false;
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        this.logger.warn({ event: status.type, server: status.data }, 'NATS connection changed');
      }
    }
  }
}
