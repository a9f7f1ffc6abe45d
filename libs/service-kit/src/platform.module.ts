import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { BaseEnv } from '@optralis/config';
import type { ServiceName } from '@optralis/contracts';
import { DatabaseModule, type DatabaseOptions } from '@optralis/db';
import { NatsModule } from '@optralis/nats';
import { ObservabilityModule } from '@optralis/observability';
import type { MigrationInterface } from 'typeorm';

import { createPingRpc } from './ping.rpc';
import { ReadinessWiring } from './readiness.wiring';
import { newIdentity, SERVICE_IDENTITY } from './service-identity';
import { serviceInstancesMigration } from './service-instances.migration';
import { ServiceInstancesRepository } from './service-instances.repository';

export interface PlatformOptions {
  service: ServiceName;
  version: string;
  config: BaseEnv;
  /** High-rate routes left out of the access log (their volume and outcomes show on /metrics). */
  quietRoutes?: string[];
  /** The service's own migrations, after the shared first one. */
  migrations?: (new () => MigrationInterface)[];
  entities?: DatabaseOptions['entities'];
}

/** What every service imports first: logs and metrics, NATS, its Postgres schema, readiness, ping. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { service, config } = options;
    return {
      module: PlatformModule,
      imports: [
        ObservabilityModule.forRoot({
          service,
          version: options.version,
          logLevel: config.LOG_LEVEL,
          quietRoutes: options.quietRoutes,
        }),
        NatsModule.forRoot({
          servers: config.NATS_URL,
          service,
          namespace: config.NATS_NAMESPACE,
          partitions: config.METRICS_PARTITIONS,
          rpcTimeoutMs: config.RPC_TIMEOUT_MS,
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: service,
          applicationName: `optralis-${service}`,
          migrations: [serviceInstancesMigration(service), ...(options.migrations ?? [])],
          entities: options.entities,
        }),
      ],
      controllers: [createPingRpc(service)],
      providers: [
        { provide: SERVICE_IDENTITY, useValue: newIdentity(service, options.version) },
        ReadinessWiring,
        ServiceInstancesRepository,
      ],
      exports: [SERVICE_IDENTITY],
    };
  }
}
