import { randomBytes, randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import type { ReplyOf } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';
import { DataSource } from 'typeorm';

import { BootstrapService } from '../src/bootstrap/bootstrap.service';
import { AuthEnv } from '../src/config';
import { IdentityModule } from '../src/identity.module';
import { KeysService } from '../src/keys/keys.service';
import { CreateIdentity1763700000000 } from '../src/migrations/1763700000000-create-identity';
import { CreateMfa1763900000000 } from '../src/migrations/1763900000000-create-mfa';
import type { Actor } from '../src/shared/actor';

export const ROOT = { email: 'root@example.com', password: 'Quiet-Harbour-Lantern-42' };

export interface IdentityApp {
  app: INestApplication;
  rpc: RpcClient;
  dataSource: DataSource;
  keys: KeysService;
  root: Actor;
  /** A fresh tenant with its owner, through tenants.create and invitations.accept. */
  tenant(): Promise<{ tenant: { id: string; slug: string }; owner: typeof ROOT & { actor: Actor } }>;
  close(): Promise<void>;
}

/** One in-process auth instance with the identity capabilities only, on the real NATS and Postgres. */
export async function startIdentityApp(input: {
  databaseUrl: string;
  namespace: string;
}): Promise<IdentityApp> {
  const config = loadConfig(AuthEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ROOT.email,
    OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ROOT.password,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'auth',
        version: '0.0.0-test',
        config,
        migrations: [CreateIdentity1763700000000, CreateMfa1763900000000],
      }),
      IdentityModule.forRoot(config),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  connectNatsTransport(app);
  await app.init();
  await app.startAllMicroservices();
  await app.get(DatabaseService).whenReady();
  const boot = await app.get(BootstrapService).whenDone();
  const rpc = app.get(RpcClient);
  const root: Actor = { userId: boot.adminUserId, tenantId: boot.tenantId, role: 'owner' };
  return {
    app,
    rpc,
    dataSource: app.get(DataSource),
    keys: app.get(KeysService),
    root,
    async tenant() {
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const created = await rpc.call('rpc.auth.tenants.create', {
        actor: root,
        slug,
        name: `Tenant ${slug}`,
      });
      const owner = { email: `owner-${slug}@example.com`, password: 'Violet-Copper-Meadow-77' };
      const accepted: ReplyOf<'rpc.auth.invitations.accept'> = await rpc.call('rpc.auth.invitations.accept', {
        token: created.invitation.token,
        ...owner,
      });
      const actor: Actor = { userId: accepted.user.id, tenantId: created.tenant.id, role: 'owner' };
      return { tenant: created.tenant, owner: { ...owner, actor } };
    },
    close: () => app.close(),
  };
}
