import { randomBytes } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { RpcClient } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { createTenantWithOwner, ROOT, startAuthTestApp } from '../../test/auth-test-app';
import { rpcFailure } from '../../test/rpc-assertions';
import { AuditModule } from '../audit/audit.module';
import { BootstrapService } from '../bootstrap/bootstrap.service';
import { IdentityModule } from '../identity.module';
import { authMigrations } from '../migrations';
import type { Actor } from '../shared/actor';
import { StatusPageModule } from './status-page.module';
import { StatusPageRpc } from './status-page.rpc';

const GROUPS = [
  { name: 'Website', tag: 'web' },
  { name: 'Database <primary>', tag: 'db' },
];

describe(StatusPageRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let app: INestApplication;
  let rpc: RpcClient;
  let root: Actor;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    app = await startAuthTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      env: {
        AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ROOT.email,
        OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ROOT.password,
      },
      migrations: authMigrations,
      modules: (config) => [IdentityModule.forRoot(config), StatusPageModule, AuditModule],
    });
    const boot = await app.get(BootstrapService).whenDone();
    rpc = app.get(RpcClient);
    root = { userId: boot.adminUserId, tenantId: boot.tenantId, role: 'owner' };
  });

  afterAll(async () => {
    await app?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  const tenant = () => createTenantWithOwner(rpc, root);

  it('should resolve the slug to the tenant and its public settings once an admin enabled the page', async () => {
    const { tenant: created, owner } = await tenant();

    const saved = await rpc.call('rpc.auth.statusPage.update', {
      actor: owner.actor,
      enabled: true,
      title: 'Acme <status>',
      groups: GROUPS,
      showIncidents: false,
    });
    const resolved = await rpc.call('rpc.auth.statusPage.resolve', { slug: created.slug });

    expect(saved).toMatchObject({
      enabled: true,
      title: 'Acme <status>',
      groups: GROUPS,
      slug: created.slug,
    });
    expect(saved.updatedAt).not.toBeNull();
    expect(await rpc.call('rpc.auth.statusPage.get', { actor: owner.actor })).toEqual(saved);
    expect(resolved).toEqual({
      tenantId: created.id,
      name: `Tenant ${created.slug}`,
      config: { title: 'Acme <status>', groups: GROUPS, showIncidents: false },
    });
  });

  it('should answer the same not_found for a disabled page, a page never saved and an unknown slug', async () => {
    const disabled = await tenant();
    const neverSaved = await tenant();
    await rpc.call('rpc.auth.statusPage.update', {
      actor: disabled.owner.actor,
      enabled: false,
      groups: GROUPS,
    });

    const failures = await Promise.all(
      [disabled.tenant.slug, neverSaved.tenant.slug, 'no-such-tenant', 'UPPER.case'].map((slug) =>
        rpcFailure(rpc.call('rpc.auth.statusPage.resolve', { slug })),
      ),
    );

    expect(failures.map((failure) => failure.code)).toEqual([
      'not_found',
      'not_found',
      'not_found',
      'not_found',
    ]);
    expect(new Set(failures.map((failure) => failure.message)).size).toBe(1);
  });

  it('should stop resolving the slug when the admin disables the page again', async () => {
    const { tenant: created, owner } = await tenant();
    await rpc.call('rpc.auth.statusPage.update', { actor: owner.actor, enabled: true, groups: GROUPS });
    await rpc.call('rpc.auth.statusPage.resolve', { slug: created.slug });

    await rpc.call('rpc.auth.statusPage.update', { actor: owner.actor, enabled: false, groups: GROUPS });

    expect((await rpcFailure(rpc.call('rpc.auth.statusPage.resolve', { slug: created.slug }))).code).toBe(
      'not_found',
    );
  });

  it('should keep each tenant to its own page', async () => {
    const first = await tenant();
    const second = await tenant();

    await rpc.call('rpc.auth.statusPage.update', { actor: first.owner.actor, enabled: true, groups: GROUPS });

    expect(await rpc.call('rpc.auth.statusPage.get', { actor: second.owner.actor })).toMatchObject({
      enabled: false,
      groups: [],
      slug: second.tenant.slug,
    });
  });

  it('should refuse an observer, and a hostile configuration before storing anything', async () => {
    const { owner } = await tenant();
    const observer: Actor = { ...owner.actor, role: 'observer' };

    const forbidden = await rpcFailure(
      rpc.call('rpc.auth.statusPage.update', { actor: observer, enabled: true }),
    );
    const invalid = await rpcFailure(
      rpc.call('rpc.auth.statusPage.update', {
        actor: owner.actor,
        enabled: true,
        title: 'Status \u202Eevil',
      }),
    );

    expect(forbidden.code).toBe('forbidden');
    expect(invalid.code).toBe('invalid_request');
    expect(await rpc.call('rpc.auth.statusPage.get', { actor: owner.actor })).toMatchObject({
      enabled: false,
    });
  });

  it('should write status_page.updated to the audit journal when the page changes', async () => {
    const { tenant: created, owner } = await tenant();

    await rpc.call('rpc.auth.statusPage.update', { actor: owner.actor, enabled: true, groups: GROUPS });

    await expectEventually(async () => {
      const rows: { action: string; data: Record<string, unknown> }[] = await app
        .get(DataSource)
        .query(`SELECT "action", "data" FROM "auth"."audit_log" WHERE "tenant_id" = $1 AND "action" = $2`, [
          created.id,
          'status_page.updated',
        ]);
      expect(rows).toHaveLength(1);
      expect(rows[0].data).toMatchObject({ changed: ['enabled', 'groups'], enabled: true, groups: 2 });
    });
  });
});
