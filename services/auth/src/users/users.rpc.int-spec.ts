import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { type IdentityApp, startIdentityApp } from '../../test/identity-app';
import { rpcFailure, tokens } from '../../test/rpc-assertions';

describe('users and tenants over RPC', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: IdentityApp;

  const auditActions = async (): Promise<string[]> =>
    (await nats.streamMessages<{ action: string }>('AUDIT')).map((event) => event.action);

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    harness = await startIdentityApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await harness?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should answer not_found without leaking when a tenant A admin asks for a tenant B user', async () => {
    const a = await harness.tenant();
    const b = await harness.tenant();

    const get = await rpcFailure(
      harness.rpc.call('rpc.auth.users.get', { actor: a.owner.actor, userId: b.owner.actor.userId }),
    );
    const missing = await rpcFailure(
      harness.rpc.call('rpc.auth.users.get', {
        actor: a.owner.actor,
        userId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    const reset = await rpcFailure(
      harness.rpc.call('rpc.auth.users.resetPassword', {
        actor: a.owner.actor,
        userId: b.owner.actor.userId,
      }),
    );
    const list = await harness.rpc.call('rpc.auth.users.list', { actor: a.owner.actor });

    expect(get.code).toBe('not_found');
    expect(missing).toMatchObject({ code: get.code, message: get.message });
    expect(reset.code).toBe('not_found');
    expect(list.items.map((user) => user.id)).toEqual([a.owner.actor.userId]);
  });

  it('should refuse user management with forbidden when the caller is an observer', async () => {
    const { owner } = await harness.tenant();
    const created = await harness.rpc.call('rpc.auth.users.create', {
      actor: owner.actor,
      email: `watcher-${Date.now()}@example.com`,
      role: 'observer',
    });
    const observer = { userId: created.user.id, tenantId: owner.actor.tenantId, role: 'observer' as const };

    const error = await rpcFailure(harness.rpc.call('rpc.auth.users.list', { actor: observer }));
    const tenants = await rpcFailure(harness.rpc.call('rpc.auth.tenants.list', { actor: owner.actor }));

    expect(error.code).toBe('forbidden');
    expect(tenants.code).toBe('forbidden');
    expect(created.temporaryPassword).toEqual(expect.any(String));
  });

  it('should demand a new password after an admin reset and accept it when it passes the policy', async () => {
    const { owner, tenant } = await harness.tenant();
    const member = await harness.rpc.call('rpc.auth.users.create', {
      actor: owner.actor,
      email: `member-${Date.now()}@example.com`,
      role: 'editor',
      password: 'Granite-Willow-Orbit-31',
    });
    const { temporaryPassword } = await harness.rpc.call('rpc.auth.users.resetPassword', {
      actor: owner.actor,
      userId: member.user.id,
    });
    const email = member.user.email;

    await expect(harness.rpc.call('rpc.auth.login', { email, password: temporaryPassword })).resolves.toEqual(
      {
        passwordExpired: true,
      },
    );
    const weak = await rpcFailure(
      harness.rpc.call('rpc.auth.users.changePassword', {
        email,
        currentPassword: temporaryPassword,
        newPassword: `${tenant.slug}-Password1`,
      }),
    );
    expect(weak.code).toBe('weak_password');
    await harness.rpc.call('rpc.auth.users.changePassword', {
      email,
      currentPassword: temporaryPassword,
      newPassword: 'Saffron-Glacier-Tunnel-58',
    });
    tokens(await harness.rpc.call('rpc.auth.login', { email, password: 'Saffron-Glacier-Tunnel-58' }));
    await expectEventually(async () =>
      expect(await auditActions()).toEqual(
        expect.arrayContaining(['user.password_reset', 'user.password_changed']),
      ),
    );
  });

  it('should record role changes and deletions when an owner manages a user', async () => {
    const { owner } = await harness.tenant();
    const member = await harness.rpc.call('rpc.auth.users.create', {
      actor: owner.actor,
      email: `promoted-${Date.now()}@example.com`,
      role: 'observer',
    });

    const updated = await harness.rpc.call('rpc.auth.users.update', {
      actor: owner.actor,
      userId: member.user.id,
      role: 'admin',
    });
    await harness.rpc.call('rpc.auth.users.delete', { actor: owner.actor, userId: member.user.id });

    expect(updated.role).toBe('admin');
    const gone = await rpcFailure(
      harness.rpc.call('rpc.auth.users.get', { actor: owner.actor, userId: member.user.id }),
    );
    expect(gone.code).toBe('not_found');
    const lastOwner = await rpcFailure(
      harness.rpc.call('rpc.auth.users.delete', { actor: owner.actor, userId: owner.actor.userId }),
    );
    expect(lastOwner.code).toBe('conflict');
    await expectEventually(async () =>
      expect(await auditActions()).toEqual(
        expect.arrayContaining(['tenant.created', 'user.created', 'user.role_changed', 'user.deleted']),
      ),
    );
  });
});
