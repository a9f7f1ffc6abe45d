import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import type { TokenActor, TokenRole } from '@optralis/contracts';
import { RpcClient, RpcError } from '@optralis/nats';
import { DataSource } from 'typeorm';

import { HostsModule } from '../../hosts/hosts.module';
import { QueriesModule } from '../queries.module';
import { startIngestTestApp } from '../../../test/ingest-test-app';
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
  const { app } = await startIngestTestApp({
    ...input,
    modules: (config) => [HostsModule, QueriesModule.forRoot(config)],
  });
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
