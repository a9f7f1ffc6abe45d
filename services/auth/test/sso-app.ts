import { randomBytes, randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@optralis/config';
import { DatabaseService } from '@optralis/db';
import { connectNatsTransport, RpcClient } from '@optralis/nats';
import { PlatformModule } from '@optralis/service-kit';
import { TEST_NATS_URL } from '@optralis/testing';
import { DataSource } from 'typeorm';

import { AuditModule } from '../src/audit/audit.module';
import { BootstrapService } from '../src/bootstrap/bootstrap.service';
import { AuthEnv } from '../src/config';
import { IdentityModule } from '../src/identity.module';
import { authMigrations } from '../src/migrations';
import type { Actor } from '../src/shared/actor';
import { SsoModule } from '../src/sso/sso.module';

export const PUBLIC_URL = 'http://optralis.test:8080';

export interface SsoApp {
  app: INestApplication;
  rpc: RpcClient;
  dataSource: DataSource;
  /** A fresh tenant and its owner's actor. */
  tenant(): Promise<{ id: string; slug: string; owner: Actor }>;
  close(): Promise<void>;
}

/** One in-process auth instance with identity, SSO and the audit journal, on the real NATS and Postgres. */
export async function startSsoApp(input: { databaseUrl: string; namespace: string }): Promise<SsoApp> {
  const config = loadConfig(AuthEnv, {
    DATABASE_URL: input.databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: input.namespace,
    LOG_LEVEL: 'silent',
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: 'root@example.com',
    OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: 'Quiet-Harbour-Lantern-42',
    AUTH_PUBLIC_URL: PUBLIC_URL,
    AUTH_SSO_ALLOW_INSECURE_LOOPBACK: 'true',
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ service: 'auth', version: '0.0.0-test', config, migrations: authMigrations }),
      IdentityModule.forRoot(config),
      SsoModule,
      AuditModule,
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
    async tenant() {
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const created = await rpc.call('rpc.auth.tenants.create', {
        actor: root,
        slug,
        name: `Tenant ${slug}`,
      });
      const accepted = await rpc.call('rpc.auth.invitations.accept', {
        token: created.invitation.token,
        email: `owner-${slug}@example.com`,
        password: 'Violet-Copper-Meadow-77',
      });
      const owner: Actor = { userId: accepted.user.id, tenantId: created.tenant.id, role: 'owner' };
      return { id: created.tenant.id, slug, owner };
    },
    close: () => app.close(),
  };
}
