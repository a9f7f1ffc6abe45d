import { randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { browseToCallback, startOidcIdp, type TestOidcIdp } from '../../../test/oidc-idp';
import { startSsoApp, type SsoApp } from '../../../test/sso-app';
import { OidcService } from './oidc.service';
import { rpcFailure } from '../../../test/rpc-assertions';

const REDIRECT_URI = 'http://127.0.0.1:9/api/v1/auth/oidc/callback';
const CLIENT = {
  client_id: 'optralis',
  client_secret: 'optralis-client-secret-0123456789',
  redirect_uris: [REDIRECT_URI],
};
const OTHER = {
  client_id: 'other-app',
  client_secret: 'other-client-secret-0123456789',
  redirect_uris: [REDIRECT_URI],
};

describe(OidcService.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let idp: TestOidcIdp;
  let auth: SsoApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    idp = await startOidcIdp([CLIENT, OTHER]);
    auth = await startSsoApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await auth?.close();
    await idp?.close();
    await nats.cleanup();
    await database.drop();
  });

  async function provider(overrides: Record<string, unknown> = {}) {
    const tenant = await auth.tenant();
    const created = await auth.rpc.call('rpc.auth.ssoProviders.create', {
      actor: tenant.owner,
      name: 'corp',
      type: 'oidc',
      config: {
        issuer: idp.issuer,
        clientId: CLIENT.client_id,
        clientSecret: CLIENT.client_secret,
        scopes: ['openid', 'email', 'groups'],
        roleClaim: 'groups',
        roleMap: { ops: 'editor', admins: 'admin' },
        defaultRole: 'observer',
        allowedDomains: ['corp.example'],
        ...overrides,
      },
    });
    return { tenant, providerId: created.id };
  }

  function account(claims: Record<string, unknown> = {}): string {
    const login = `user-${randomUUID().slice(0, 8)}`;
    idp.accounts.set(login, { email: `${login}@corp.example`, email_verified: true, ...claims });
    return login;
  }

  async function callback(providerId: string, login: string, edit?: (url: URL) => void): Promise<string> {
    const { authorizationUrl } = await auth.rpc.call('rpc.auth.oidc.begin', {
      providerId,
      redirectUri: REDIRECT_URI,
    });
    const url = new URL(authorizationUrl);
    edit?.(url);
    return browseToCallback(url.href, { login, stopAt: REDIRECT_URI });
  }

  const failure = async (promise: Promise<unknown>): Promise<string> => (await rpcFailure(promise)).code;

  it('should sign a new user in with the mapped role when the IdP login succeeds', async () => {
    const { tenant, providerId } = await provider();
    const login = account({ groups: ['staff', 'ops'] });

    const { authorizationUrl } = await auth.rpc.call('rpc.auth.oidc.begin', {
      providerId,
      redirectUri: REDIRECT_URI,
    });
    const sent = new URL(authorizationUrl).searchParams;
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('nonce')).toBeTruthy();
    const callbackUrl = await browseToCallback(authorizationUrl, { login, stopAt: REDIRECT_URI });
    const pair = await auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl });

    expect(pair.user).toMatchObject({ email: `${login}@corp.example`, role: 'editor' });
    expect(pair.tenant.id).toBe(tenant.id);
    const claims = await auth.rpc.call('rpc.auth.tokens.verifyAccess', { token: pair.accessToken });
    expect(claims).toMatchObject({ sub: pair.user.id, tenant: tenant.id, role: 'editor' });
    const [user] = await auth.dataSource.query(`SELECT "password_hash" FROM "auth"."users" WHERE "id" = $1`, [
      pair.user.id,
    ]);
    expect(user.password_hash).toBeNull();
    await expect(
      auth.rpc.call('rpc.auth.refresh', { refreshToken: pair.refreshToken }),
    ).resolves.toMatchObject({
      user: { id: pair.user.id },
    });
  });

  it('should update the role of a known user when the IdP sends other groups', async () => {
    const { providerId } = await provider();
    const login = account({ groups: ['ops'] });
    const first = await auth.rpc.call('rpc.auth.oidc.complete', {
      providerId,
      callbackUrl: await callback(providerId, login),
    });
    idp.accounts.set(login, { ...idp.accounts.get(login), groups: ['admins'] });
    const second = await auth.rpc.call('rpc.auth.oidc.complete', {
      providerId,
      callbackUrl: await callback(providerId, login),
    });
    idp.accounts.set(login, { ...idp.accounts.get(login), groups: [] });
    const third = await auth.rpc.call('rpc.auth.oidc.complete', {
      providerId,
      callbackUrl: await callback(providerId, login),
    });

    expect([first.user.role, second.user.role, third.user.role]).toEqual(['editor', 'admin', 'observer']);
    expect(new Set([first.user.id, second.user.id, third.user.id]).size).toBe(1);
  });

  it('should refuse a callback when its state is wrong, reused, expired or an IdP error', async () => {
    const { providerId } = await provider();
    const callbackUrl = await callback(providerId, account());
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'forged-state-value');
    expect(
      await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl: forged.href })),
    ).toBe('sso.state_invalid');

    await auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl });
    expect(await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl }))).toBe(
      'sso.state_invalid',
    );

    const late = await callback(providerId, account());
    await auth.dataSource.query(
      `UPDATE "auth"."sso_pending_logins" SET "expires_at" = now() - interval '1 second'`,
    );
    expect(await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl: late }))).toBe(
      'sso.state_invalid',
    );

    const { state } = await auth.rpc.call('rpc.auth.oidc.begin', { providerId, redirectUri: REDIRECT_URI });
    const denied = `${REDIRECT_URI}?error=access_denied&state=${state}`;
    expect(await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl: denied }))).toBe(
      'sso.idp_error',
    );
  });

  it('should refuse the state of another provider when the callback names a different provider', async () => {
    const first = await provider();
    const second = await provider();
    const callbackUrl = await callback(first.providerId, account());

    expect(
      await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId: second.providerId, callbackUrl })),
    ).toBe('sso.state_invalid');
  });

  it('should refuse the id_token when its nonce is not the one of this login', async () => {
    const { providerId } = await provider();
    const callbackUrl = await callback(providerId, account(), (url) =>
      url.searchParams.set('nonce', 'attacker-nonce'),
    );

    expect(await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl }))).toBe(
      'sso.assertion_invalid',
    );
  });

  it('should refuse a code issued to another client when the audience is not ours', async () => {
    const { providerId } = await provider();
    const callbackUrl = await callback(providerId, account(), (url) =>
      url.searchParams.set('client_id', OTHER.client_id),
    );

    expect(await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl }))).toBe(
      'sso.token_rejected',
    );
  });

  it('should refuse the user when the email domain is not allowed or the email is unverified', async () => {
    const { providerId } = await provider();
    const outsider = account({ email: `someone-${randomUUID().slice(0, 6)}@evil.example` });
    const unverified = account({ email_verified: false });

    const outsiderCallback = await callback(providerId, outsider);
    expect(
      await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl: outsiderCallback })),
    ).toBe('sso.domain_not_allowed');
    const unverifiedCallback = await callback(providerId, unverified);
    expect(
      await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl: unverifiedCallback })),
    ).toBe('sso.email_unverified');
    const [{ count }] = await auth.dataSource.query(
      `SELECT count(*)::int AS count FROM "auth"."users" WHERE "email" LIKE 'someone-%@evil.example'`,
    );
    expect(count).toBe(0);
  });

  it('should refuse a login when no role is mapped and the provider has no default role', async () => {
    const { providerId } = await provider({ defaultRole: null });
    const callbackUrl = await callback(providerId, account({ groups: ['nobody'] }));

    expect(await failure(auth.rpc.call('rpc.auth.oidc.complete', { providerId, callbackUrl }))).toBe(
      'sso.role_unmapped',
    );
  });
});
