import { randomUUID } from 'node:crypto';

import type { DynamicModule, Type } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import type { TokenActor, TokenRole } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient, RpcError } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';

import { AlertingConfigModule } from '../src/alerting.config.provider';
import { AlertingEnv, type AlertingConfig } from '../src/config';
import { alertingMigrations } from '../src/migrations';
import { AlertingSharedModule } from '../src/shared/shared.module';

export interface AlertingTestApp {
  app: NestFastifyApplication;
  url: string;
  config: AlertingConfig;
  rpc: RpcClient;
  close(): Promise<void>;
}

/** A fixed key, so tests never write `.optralis/alerting-master.key` into the working tree. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

/** One in-process alerting instance (HTTP on a free port + NATS transport) with the modules a test needs. */
export async function startAlertingTestApp(input: {
  databaseUrl: string;
  namespace: string;
  env?: Record<string, string>;
  modules: (Type<unknown> | DynamicModule)[];
}): Promise<AlertingTestApp> {
  const config = loadConfig(AlertingEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
    ALERTING_SECRET_KEY: TEST_SECRET_KEY,
    OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'true',
    ...input.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'alerting',
        version: '0.0.0-test',
        config,
        migrations: alertingMigrations,
      }),
      AlertingConfigModule.forRoot(config),
      AlertingSharedModule,
      ...input.modules,
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  connectNatsTransport(app);
  await app.listen(0, '127.0.0.1');
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  return {
    app,
    url: await app.getUrl().then((url) => url.replace('[::1]', '127.0.0.1')),
    config,
    rpc: app.get(RpcClient),
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
