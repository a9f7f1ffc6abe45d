import { randomUUID } from 'node:crypto';

import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';
import type { MigrationInterface } from 'typeorm';

import { AuthEnv, type AuthConfig } from '../src/config';
import type { Actor } from '../src/shared/actor';

export const ROOT = { email: 'root@example.com', password: 'Quiet-Harbour-Lantern-42' };
export const OWNER_PASSWORD = 'Violet-Copper-Meadow-77';

/**
 * One in-process auth instance as a hybrid app (HTTP + NATS transport) on the real NATS and Postgres,
 * with the capability modules a test needs; resolves once its database is migrated.
 */
export async function startAuthTestApp(input: {
  databaseUrl: string;
  namespace: string;
  env?: Record<string, string>;
  migrations: (new () => MigrationInterface)[];
  modules: (config: AuthConfig) => (Type<unknown> | DynamicModule)[];
}): Promise<INestApplication> {
  const config = loadConfig(AuthEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
    ...input.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'auth',
        version: '0.0.0-test',
        config,
        migrations: input.migrations,
      }),
      ...input.modules(config),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  connectNatsTransport(app);
  await app.init();
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  return app;
}

/** A fresh tenant with its owner, through tenants.create and invitations.accept as the root owner. */
export async function createTenantWithOwner(
  rpc: RpcClient,
  root: Actor,
): Promise<{ tenant: { id: string; slug: string }; owner: typeof ROOT & { actor: Actor } }> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const created = await rpc.call('rpc.auth.tenants.create', { actor: root, slug, name: `Tenant ${slug}` });
  const owner = { email: `owner-${slug}@example.com`, password: OWNER_PASSWORD };
  const accepted = await rpc.call('rpc.auth.invitations.accept', {
    token: created.invitation.token,
    ...owner,
  });
  const actor: Actor = { userId: accepted.user.id, tenantId: created.tenant.id, role: 'owner' };
  return { tenant: created.tenant, owner: { ...owner, actor } };
}
