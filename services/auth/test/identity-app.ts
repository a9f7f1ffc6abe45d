import { randomBytes } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { RpcClient } from '@optralis/nats';
import { DataSource } from 'typeorm';

import { BootstrapService } from '../src/bootstrap/bootstrap.service';
import { IdentityModule } from '../src/identity.module';
import { KeysService } from '../src/keys/keys.service';
import { CreateIdentity1763700000000 } from '../src/migrations/1763700000000-create-identity';
import { CreateMfa1763900000000 } from '../src/migrations/1763900000000-create-mfa';
import type { Actor } from '../src/shared/actor';
import { createTenantWithOwner, ROOT, startAuthTestApp } from './auth-test-app';

export { ROOT };

export interface IdentityApp {
  app: INestApplication;
  rpc: RpcClient;
  dataSource: DataSource;
  keys: KeysService;
  root: Actor;
  /** A fresh tenant with its owner, through tenants.create and invitations.accept. */
  tenant(): ReturnType<typeof createTenantWithOwner>;
  close(): Promise<void>;
}

/** One in-process auth instance with the identity capabilities only, on the real NATS and Postgres. */
export async function startIdentityApp(input: {
  databaseUrl: string;
  namespace: string;
}): Promise<IdentityApp> {
  const app = await startAuthTestApp({
    ...input,
    env: {
      AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ROOT.email,
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ROOT.password,
    },
    migrations: [CreateIdentity1763700000000, CreateMfa1763900000000],
    modules: (config) => [IdentityModule.forRoot(config)],
  });
  const boot = await app.get(BootstrapService).whenDone();
  const rpc = app.get(RpcClient);
  const root: Actor = { userId: boot.adminUserId, tenantId: boot.tenantId, role: 'owner' };
  return {
    app,
    rpc,
    dataSource: app.get(DataSource),
    keys: app.get(KeysService),
    root,
    tenant: () => createTenantWithOwner(rpc, root),
    close: () => app.close(),
  };
}
