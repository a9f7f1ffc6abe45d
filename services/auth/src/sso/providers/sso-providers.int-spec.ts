import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { startSsoApp, type SsoApp } from '../../../test/sso-app';
import { SsoProvidersService } from './sso-providers.service';
import { rpcFailure } from '../../../test/rpc-assertions';

const SECRET = 'client-secret-that-must-never-leave-0123';
const OIDC = {
  issuer: 'https://login.corp.example',
  clientId: 'optralis',
  clientSecret: SECRET,
  roleClaim: 'groups',
  roleMap: { ops: 'editor' as const },
  defaultRole: 'observer' as const,
  allowedDomains: ['corp.example'],
};

describe(SsoProvidersService.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let auth: SsoApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    auth = await startSsoApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await auth?.close();
    await nats.cleanup();
    await database.drop();
  });

  const failure = async (promise: Promise<unknown>): Promise<string> => (await rpcFailure(promise)).code;

  it('should keep the client secret encrypted and never answer it when a provider is created', async () => {
    const tenant = await auth.tenant();
    const created = await auth.rpc.call('rpc.auth.ssoProviders.create', {
      actor: tenant.owner,
      name: 'corp',
      type: 'oidc',
      config: OIDC,
    });
    const listed = await auth.rpc.call('rpc.auth.ssoProviders.list', { actor: tenant.owner });
    const updated = await auth.rpc.call('rpc.auth.ssoProviders.update', {
      actor: tenant.owner,
      providerId: created.id,
      config: { roleMap: { ops: 'admin' } },
    });

    for (const answer of [created, listed, updated]) expect(JSON.stringify(answer)).not.toContain(SECRET);
    expect(created.config).toMatchObject({
      issuer: OIDC.issuer,
      hasClientSecret: true,
      scopes: ['openid', 'email', 'profile'],
    });
    expect(created.callbackUrl).toMatch(new RegExp(`/api/v1/auth/oidc/${created.id}/callback$`));
    expect(updated.config.roleMap).toEqual({ ops: 'admin' });
    const [row] = await auth.dataSource.query(`SELECT * FROM "auth"."sso_providers" WHERE "id" = $1`, [
      created.id,
    ]);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row.sealed_secret).toMatch(/^v1\./);
    await expectEventually(async () => {
      const events = await auth.dataSource.query(
        `SELECT "action" FROM "auth"."audit_log" WHERE "tenant_id" = $1 AND "action" LIKE 'sso_provider.%'`,
        [tenant.id],
      );
      expect(events.map((event: { action: string }) => event.action).sort()).toEqual([
        'sso_provider.created',
        'sso_provider.updated',
      ]);
    });
  });

  it('should answer not_found when another tenant asks for the provider', async () => {
    const owner = await auth.tenant();
    const stranger = await auth.tenant();
    const created = await auth.rpc.call('rpc.auth.ssoProviders.create', {
      actor: owner.owner,
      name: 'corp',
      type: 'oidc',
      config: OIDC,
    });
    const ref = { actor: stranger.owner, providerId: created.id };

    expect(await failure(auth.rpc.call('rpc.auth.ssoProviders.get', ref))).toBe('not_found');
    expect(await failure(auth.rpc.call('rpc.auth.ssoProviders.update', { ...ref, name: 'mine' }))).toBe(
      'not_found',
    );
    expect(await failure(auth.rpc.call('rpc.auth.ssoProviders.delete', ref))).toBe('not_found');
    expect((await auth.rpc.call('rpc.auth.ssoProviders.list', { actor: stranger.owner })).items).toEqual([]);
    await expect(
      auth.rpc.call('rpc.auth.ssoProviders.get', { actor: owner.owner, providerId: created.id }),
    ).resolves.toMatchObject({ name: 'corp' });
  });

  it('should refuse an editor and a duplicate name', async () => {
    const tenant = await auth.tenant();
    const editor = { ...tenant.owner, role: 'editor' as const };
    const input = { name: 'corp', type: 'oidc' as const, config: OIDC };

    expect(await failure(auth.rpc.call('rpc.auth.ssoProviders.create', { actor: editor, ...input }))).toBe(
      'forbidden',
    );
    await auth.rpc.call('rpc.auth.ssoProviders.create', { actor: tenant.owner, ...input });
    expect(
      await failure(auth.rpc.call('rpc.auth.ssoProviders.create', { actor: tenant.owner, ...input })),
    ).toBe('conflict');
  });

  it('should answer invalid_request when the config is malformed or oversized', async () => {
    const tenant = await auth.tenant();
    const create = (config: Record<string, unknown>, type: 'oidc' | 'saml' = 'oidc') =>
      auth.rpc.call('rpc.auth.ssoProviders.create', {
        actor: tenant.owner,
        name: 'x',
        type,
        config,
      } as never);

    const bad: Record<string, unknown>[] = [
      { ...OIDC, issuer: 'not a url' },
      { ...OIDC, issuer: 'http://login.corp.example' },
      { ...OIDC, scopes: ['email'] },
      { ...OIDC, roleMap: { ops: 'owner' } },
      { ...OIDC, allowedDomains: ['not a domain'] },
      { ...OIDC, clientSecret: 'x'.repeat(10_000) },
      { ...OIDC, extra: true },
      { entryPoint: 'https://idp.example/sso', idpCert: 'x'.repeat(20_000), saml: true },
      { entryPoint: 'https://idp.example/sso', saml: true },
    ];
    for (const { saml, ...config } of bad) {
      expect(await failure(create(config, saml ? 'saml' : 'oidc'))).toBe('invalid_request');
    }
    const created = await create(OIDC);
    const update = auth.rpc.call('rpc.auth.ssoProviders.update', {
      actor: tenant.owner,
      providerId: (created as { id: string }).id,
      config: { issuer: 'ftp://nope' },
    });
    expect(await failure(update)).toBe('invalid_request');
  });
});
