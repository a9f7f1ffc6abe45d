import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfig } from '@optralis/config';
import type { TokenActor, TokenRole } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';
import { DataSource } from 'typeorm';

import { AuthEnv } from '../src/config';
import { CreateAuthTokens1763800000000 } from '../src/migrations/1763800000000-create-auth-tokens';
import { CreateAuditLog1763800000001 } from '../src/migrations/1763800000001-create-audit-log';
import type { BootstrapIngestOptions } from '../src/tokens/bootstrap-ingest-token.service';
import { TokenRevocations } from '../src/tokens/token-revocations.subscriber';
import { TokensModule } from '../src/tokens/tokens.module';

export interface TokensApp {
  app: INestApplication;
  rpc: RpcClient;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * One in-process auth instance with the token and audit capabilities only (their own migrations), on
 * the real NATS and Postgres; several may share a database and namespace like a scaled deployment.
 */
export async function startTokensApp(input: {
  databaseUrl: string;
  namespace: string;
  bootstrap?: Partial<BootstrapIngestOptions>;
}): Promise<TokensApp> {
  const config = loadConfig(AuthEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'auth',
        version: '0.0.0-test',
        config,
        migrations: [CreateAuthTokens1763800000000, CreateAuditLog1763800000001],
      }),
      TokensModule.forRoot({ waitForTenantMs: 0, print: () => undefined, ...input.bootstrap }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  connectNatsTransport(app);
  await app.init();
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  await app.get(TokenRevocations).whenListening();
  return {
    app,
    rpc: app.get(RpcClient),
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}

export function actor(role: TokenRole = 'admin', tenantId: string = randomUUID()): TokenActor {
  return { userId: randomUUID(), tenantId, role };
}
