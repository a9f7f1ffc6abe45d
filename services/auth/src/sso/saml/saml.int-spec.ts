import { randomUUID } from 'node:crypto';

import { RpcError } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import {
  decode,
  encode,
  IDP_CERT,
  IDP_ENTITY_ID,
  IDP_SSO_URL,
  samlIdp,
  type SamlAnswer,
} from '../../../test/saml-idp';
import { PUBLIC_URL, startSsoApp, type SsoApp } from '../../../test/sso-app';
import { SamlService } from './saml.service';

describe(SamlService.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let auth: SsoApp;
  const idp = samlIdp();

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

  async function provider() {
    const tenant = await auth.tenant();
    const created = await auth.rpc.call('rpc.auth.ssoProviders.create', {
      actor: tenant.owner,
      name: 'adfs',
      type: 'saml',
      config: {
        entryPoint: IDP_SSO_URL,
        idpCert: IDP_CERT,
        idpIssuer: IDP_ENTITY_ID,
        roleAttribute: 'groups',
        roleMap: { ops: 'editor', admins: 'admin' },
        defaultRole: 'observer',
      },
    });
    const { xml } = await auth.rpc.call('rpc.auth.saml.metadata', { providerId: created.id });
    return { tenant, providerId: created.id, spMetadata: xml };
  }

  /** begin → the IdP answers the AuthnRequest; `tamper` edits the XML after signing. */
  async function answer(
    target: { providerId: string; spMetadata: string },
    answer: Partial<SamlAnswer> = {},
    tamper?: (xml: string) => string,
  ): Promise<string> {
    const { redirectUrl } = await auth.rpc.call('rpc.auth.saml.begin', { providerId: target.providerId });
    const response = await idp.respond({
      spMetadata: target.spMetadata,
      redirectUrl,
      email: `user-${randomUUID().slice(0, 8)}@corp.example`,
      ...answer,
    });
    return tamper ? encode(tamper(decode(response))) : response;
  }

  async function failure(providerId: string, samlResponse: string): Promise<string> {
    const error = await auth.rpc.call('rpc.auth.saml.acs', { providerId, samlResponse }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RpcError);
    return (error as RpcError).code;
  }

  it('should describe our service provider in metadata when asked', async () => {
    const { providerId, spMetadata } = await provider();

    expect(spMetadata).toContain(`entityID="${PUBLIC_URL}/api/v1/auth/saml/${providerId}/metadata"`);
    expect(spMetadata).toContain(`Location="${PUBLIC_URL}/api/v1/auth/saml/${providerId}/acs"`);
    expect(spMetadata).toContain('WantAssertionsSigned="true"');
  });

  it('should sign a new user in with the mapped role when the IdP answers our request', async () => {
    const target = await provider();
    const email = `jit-${randomUUID().slice(0, 8)}@corp.example`;
    const { redirectUrl } = await auth.rpc.call('rpc.auth.saml.begin', {
      providerId: target.providerId,
      relayState: '/console/hosts',
    });
    expect(redirectUrl.startsWith(`${IDP_SSO_URL}?SAMLRequest=`)).toBe(true);
    const samlResponse = await idp.respond({ ...target, redirectUrl, email, groups: ['staff', 'ops'] });

    const pair = await auth.rpc.call('rpc.auth.saml.acs', {
      providerId: target.providerId,
      samlResponse,
      relayState: 'https://evil.example/',
    });

    expect(pair.user).toMatchObject({ email, role: 'editor' });
    expect(pair.tenant.id).toBe(target.tenant.id);
    expect(pair.relayState).toBe('/console/hosts');
    await expect(
      auth.rpc.call('rpc.auth.tokens.verifyAccess', { token: pair.accessToken }),
    ).resolves.toMatchObject({
      sub: pair.user.id,
      role: 'editor',
    });
  });

  it('should refuse a response when it is replayed', async () => {
    const target = await provider();
    const samlResponse = await answer(target, { groups: ['admins'] });
    await expect(
      auth.rpc.call('rpc.auth.saml.acs', { providerId: target.providerId, samlResponse }),
    ).resolves.toMatchObject({ user: { role: 'admin' } });

    expect(await failure(target.providerId, samlResponse)).toBe('sso.state_invalid');
  });

  it('should refuse a response when an attribute was edited after signing', async () => {
    const target = await provider();
    const samlResponse = await answer(target, { groups: ['staff'] }, (xml) =>
      xml.replace('>staff<', '>admins<'),
    );

    expect(await failure(target.providerId, samlResponse)).toBe('sso.assertion_invalid');
  });

  it('should refuse a response when it is meant for another audience', async () => {
    const target = await provider();
    const samlResponse = await answer(target, { audience: 'https://someone-else.example/metadata' });

    expect(await failure(target.providerId, samlResponse)).toBe('sso.assertion_invalid');
  });

  it('should refuse a response when it carries no signature', async () => {
    const target = await provider();
    const samlResponse = await answer(target, {}, (xml) =>
      xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, ''),
    );

    expect(await failure(target.providerId, samlResponse)).toBe('sso.assertion_invalid');
  });

  it('should refuse a response when it is signed by a key the provider does not trust', async () => {
    const target = await provider();

    expect(await failure(target.providerId, await answer(target, { forged: true }))).toBe(
      'sso.assertion_invalid',
    );
  });

  it('should refuse a response when its times are outside the clock-skew bound', async () => {
    const target = await provider();

    expect(await failure(target.providerId, await answer(target, { offsetMs: 5 * 60_000 }))).toBe(
      'sso.assertion_invalid',
    );
  });

  it('should refuse a response when a forged assertion wraps the signed one', async () => {
    const target = await provider();
    const samlResponse = await answer(target, { groups: ['staff'] }, (xml) => {
      const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
      const forged = signed
        .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
        .replace(/>[^<>]+@corp\.example</g, '>victim@corp.example<')
        .replace('>staff<', '>admins<');
      // XSW: the forged assertion takes the signed one's place, the signed one hides in Extensions.
      return xml
        .replace(signed, forged)
        .replace('<samlp:Status>', `<samlp:Extensions>${signed}</samlp:Extensions><samlp:Status>`);
    });

    expect(await failure(target.providerId, samlResponse)).toBe('sso.assertion_invalid');
    const rows = await auth.dataSource.query(
      `SELECT 1 FROM "auth"."users" WHERE "email" = 'victim@corp.example'`,
    );
    expect(rows).toHaveLength(0);
  });

  it('should refuse a response when it answers a request nobody made', async () => {
    const target = await provider();
    const samlResponse = await answer(target, {}, (xml) =>
      xml.replaceAll(/InResponseTo="[^"]+"/g, 'InResponseTo="_unknown"'),
    );

    expect(await failure(target.providerId, samlResponse)).toBe('sso.state_invalid');
  });
});
