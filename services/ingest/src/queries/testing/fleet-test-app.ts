import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import type { TokenActor, TokenRole } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient, RpcError } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';
import { DataSource } from 'typeorm';

import { IngestEnv } from '../../config';
import { HostsModule } from '../../hosts/hosts.module';
import { ingestMigrations } from '../../migrations';
import { QueriesModule } from '../queries.module';
import { MetricStoreSeed } from './metric-store.seed';

export interface FleetApp {
  app: INestApplication;
  rpc: RpcClient;
  dataSource: DataSource;
  seed: MetricStoreSeed;
  close(): Promise<void>;
}

/**
 * One in-process ingest instance with the host registry and metric queries only, as a hybrid app on the
 * real NATS and Postgres; resolves once its schema is migrated.
 */
export async function startFleetApp(input: {
  databaseUrl: string;
  namespace: string;
  env?: Record<string, string>;
}): Promise<FleetApp> {
  const config = loadConfig(IngestEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
    ...input.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ service: 'ingest', version: 'test', config, migrations: ingestMigrations }),
      HostsModule,
      QueriesModule.forRoot(config),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  connectNatsTransport(app);
  await app.init();
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  const dataSource = app.get(DataSource);
  return {
    app,
    rpc: app.get(RpcClient),
    dataSource,
    seed: new MetricStoreSeed(dataSource),
    close: () => app.close(),
  };
}

export function actor(role: TokenRole, tenantId: string = randomUUID()): TokenActor {
  return { userId: randomUUID(), tenantId, role };
}

/** Awaits a call that must fail and returns the RpcError it failed with. */
export async function rpcFailure(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(error)}`);
  return error;
}

/** The error code of a raw request's reply envelope, for requests the client would refuse to send. */
export function errorCode(reply: { ok: boolean; error?: { code: string } }): string | undefined {
  return reply.ok ? undefined : reply.error?.code;
}
