import { decodeProtectedHeader } from 'jose';
import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { type IdentityApp, ROOT, startIdentityApp } from '../../test/identity-app';
import { rpcFailure, tokens } from '../../test/rpc-assertions';

describe('sessions over RPC', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: IdentityApp;

  const auditActions = async (): Promise<string[]> =>
    (await nats.streamMessages<{ action: string }>('AUDIT')).map((event) => event.action);

  const rawRequest = (subject: string, body: string) =>
    nats.requestRaw<{ ok: boolean; error?: { code: string } }>(subject, body);

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

  it('should issue an ES256 access token with sub, tenant, role and sid when the password is right', async () => {
    const { tenant, owner } = await harness.tenant();

    const pair = tokens(
      await harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password }),
    );

    expect(decodeProtectedHeader(pair.accessToken)).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    const claims = await harness.rpc.call('rpc.auth.tokens.verifyAccess', { token: pair.accessToken });
    expect(claims).toMatchObject({
      sub: owner.actor.userId,
      tenant: tenant.id,
      role: 'owner',
      sid: pair.sessionId,
    });
    expect(claims.exp - claims.iat).toBe(900);
    const jwks = await harness.rpc.call('rpc.auth.jwks', {});
    expect(jwks.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(pair.accessToken).kid);
  });

  it('should answer the same invalid_credentials when the password is wrong or the email unknown', async () => {
    const { owner } = await harness.tenant();

    const wrong = await rpcFailure(
      harness.rpc.call('rpc.auth.login', { email: owner.email, password: 'not-it-at-all' }),
    );
    const unknown = await rpcFailure(
      harness.rpc.call('rpc.auth.login', { email: 'nobody@example.com', password: 'not-it-at-all' }),
    );

    expect(wrong.code).toBe('invalid_credentials');
    expect(unknown.code).toBe(wrong.code);
    expect(unknown.message).toBe(wrong.message);
    await expectEventually(async () => expect(await auditActions()).toContain('login.failed'));
  });

  it('should lock the account when the password is wrong five times', async () => {
    const { owner } = await harness.tenant();
    for (let attempt = 0; attempt < 5; attempt++) {
      await rpcFailure(
        harness.rpc.call('rpc.auth.login', { email: owner.email, password: `wrong-${attempt}` }),
      );
    }

    const locked = await rpcFailure(
      harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password }),
    );

    expect(locked.code).toBe('invalid_credentials');
    const [row] = await harness.dataSource.query(
      `SELECT "failed_login_count", "locked_until" > now() AS locked FROM "auth"."users" WHERE "id" = $1`,
      [owner.actor.userId],
    );
    expect(row).toEqual({ failed_login_count: 5, locked: true });
    await expectEventually(async () => expect(await auditActions()).toContain('user.locked'));
  });

  it('should rotate the refresh token and revoke the whole family when a rotated one is used again', async () => {
    const { owner } = await harness.tenant();
    const first = tokens(
      await harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password }),
    );

    const second = await harness.rpc.call('rpc.auth.refresh', { refreshToken: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);

    const reuse = await rpcFailure(
      harness.rpc.call('rpc.auth.refresh', { refreshToken: first.refreshToken }),
    );
    expect(reuse.code).toBe('token_invalid');
    const family = await rpcFailure(
      harness.rpc.call('rpc.auth.refresh', { refreshToken: second.refreshToken }),
    );
    expect(family.code).toBe('token_invalid');
    await expectEventually(async () => expect(await auditActions()).toContain('session.revoked'));
  });

  it('should refuse the refresh token when the session was logged out', async () => {
    const { owner } = await harness.tenant();
    const pair = tokens(
      await harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password }),
    );

    await expect(harness.rpc.call('rpc.auth.logout', { refreshToken: pair.refreshToken })).resolves.toEqual({
      done: true,
    });

    const error = await rpcFailure(harness.rpc.call('rpc.auth.refresh', { refreshToken: pair.refreshToken }));
    expect(error.code).toBe('token_invalid');
  });

  it('should end the session named by the actor when the gateway logs out with an access token', async () => {
    const { owner } = await harness.tenant();
    const pair = tokens(
      await harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password }),
    );

    await harness.rpc.call('rpc.auth.logout', { actor: { ...owner.actor, sessionId: pair.sessionId } });

    const error = await rpcFailure(harness.rpc.call('rpc.auth.refresh', { refreshToken: pair.refreshToken }));
    expect(error.code).toBe('token_invalid');
  });

  it('should ask for a tenant and then switch tenants when a user belongs to two', async () => {
    const first = await harness.tenant();
    const second = await harness.tenant();
    await harness.rpc.call('rpc.auth.users.create', {
      actor: second.owner.actor,
      email: first.owner.email,
      role: 'editor',
    });

    const choose = await rpcFailure(
      harness.rpc.call('rpc.auth.login', { email: first.owner.email, password: first.owner.password }),
    );
    expect(choose.code).toBe('tenant_selection_required');
    expect(
      (choose.details as { tenants: { id: string }[] }).tenants.map((tenant) => tenant.id).sort(),
    ).toEqual([first.tenant.id, second.tenant.id].sort());

    const pair = tokens(
      await harness.rpc.call('rpc.auth.login', {
        email: first.owner.email,
        password: first.owner.password,
        tenantId: first.tenant.id,
      }),
    );
    const switched = await harness.rpc.call('rpc.auth.switchTenant', {
      refreshToken: pair.refreshToken,
      tenantId: second.tenant.id,
    });
    const claims = await harness.rpc.call('rpc.auth.tokens.verifyAccess', { token: switched.accessToken });
    expect(claims).toMatchObject({ tenant: second.tenant.id, role: 'editor' });
    await rpcFailure(harness.rpc.call('rpc.auth.refresh', { refreshToken: pair.refreshToken }));
  });

  it('should let the bootstrap owner log in with the configured password', async () => {
    const pair = tokens(
      await harness.rpc.call('rpc.auth.login', { email: ROOT.email, password: ROOT.password }),
    );
    expect(pair.tenant.slug).toBe('default');
    expect(pair.user.role).toBe('owner');
  });

  it.each([
    ['bytes that are not JSON', 'rpc.auth.login', '{oops'],
    [
      'an oversized email',
      'rpc.auth.login',
      JSON.stringify({ email: `${'a'.repeat(600_000)}@x.io`, password: 'x' }),
    ],
    ['an unknown field', 'rpc.auth.login', JSON.stringify({ email: 'a@b.io', password: 'x', admin: true })],
    ['a malformed user id', 'rpc.auth.users.get', JSON.stringify({ actor: {}, userId: '../etc' })],
    ['a token that is not a string', 'rpc.auth.tokens.verifyAccess', JSON.stringify({ token: 42 })],
  ])('should answer invalid_request when the request carries %s', async (_case, subject, body) => {
    await expect(rawRequest(subject, body)).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('should answer token_invalid without crashing when verifyAccess gets garbage', async () => {
    const error = await rpcFailure(harness.rpc.call('rpc.auth.tokens.verifyAccess', { token: 'a.b.c' }));
    expect(error.code).toBe('token_invalid');
  });
});
