import { randomBytes } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { RpcClient } from '@optralis/nats';
import { DataSource } from 'typeorm';

import { AuditModule } from '../src/audit/audit.module';
import { BootstrapService } from '../src/bootstrap/bootstrap.service';
import { IdentityModule } from '../src/identity.module';
import { authMigrations } from '../src/migrations';
import type { Actor } from '../src/shared/actor';
import { SsoModule } from '../src/sso/sso.module';
import { createTenantWithOwner, ROOT, startAuthTestApp } from './auth-test-app';

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
  const app = await startAuthTestApp({
    ...input,
    env: {
      AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ROOT.email,
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ROOT.password,
      AUTH_PUBLIC_URL: PUBLIC_URL,
      AUTH_SSO_ALLOW_INSECURE_LOOPBACK: 'true',
    },
    migrations: authMigrations,
    modules: (config) => [IdentityModule.forRoot(config), SsoModule, AuditModule],
  });
  const boot = await app.get(BootstrapService).whenDone();
  const rpc = app.get(RpcClient);
  const root: Actor = { userId: boot.adminUserId, tenantId: boot.tenantId, role: 'owner' };
  return {
    app,
    rpc,
    dataSource: app.get(DataSource),
    async tenant() {
      const { tenant, owner } = await createTenantWithOwner(rpc, root);
      return { id: tenant.id, slug: tenant.slug, owner: owner.actor };
    },
    close: () => app.close(),
  };
}
