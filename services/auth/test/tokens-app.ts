import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import type { TokenActor, TokenRole } from '@optralis/contracts';
import { RpcClient } from '@optralis/nats';
import { DataSource } from 'typeorm';

import { CreateAuthTokens1763800000000 } from '../src/migrations/1763800000000-create-auth-tokens';
import { CreateAuditLog1763800000001 } from '../src/migrations/1763800000001-create-audit-log';
import type { BootstrapIngestOptions } from '../src/tokens/bootstrap-ingest-token.service';
import { TokenRevocations } from '../src/tokens/token-revocations.subscriber';
import { TokensModule } from '../src/tokens/tokens.module';
import { startAuthTestApp } from './auth-test-app';

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
  const app = await startAuthTestApp({
    databaseUrl: input.databaseUrl,
    namespace: input.namespace,
    migrations: [CreateAuthTokens1763800000000, CreateAuditLog1763800000001],
    modules: () => [TokensModule.forRoot({ waitForTenantMs: 0, print: () => undefined, ...input.bootstrap })],
  });
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
