import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { generate } from 'otplib';

import { type IdentityApp, startIdentityApp } from '../../test/identity-app';
import type { Actor } from '../shared/actor';
import { rpcFailure } from '../../test/rpc-assertions';

/** The code of the current time step, or of a step before or after it. */
function totp(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

describe('MFA over RPC', () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let harness: IdentityApp;

  const auditActions = async (): Promise<string[]> =>
    (await nats.streamMessages<{ action: string }>('AUDIT')).map((event) => event.action);

  const rawRequest = (subject: string, body: string) =>
    nats.requestRaw<{ ok: boolean; error?: { code: string } }>(subject, body);

  /** A fresh tenant whose owner has MFA on; the confirm code's step is used up. */
  async function ownerWithMfa() {
    const { tenant, owner } = await harness.tenant();
    const { secret, otpauthUri } = await harness.rpc.call('rpc.auth.mfa.enroll', { actor: owner.actor });
    const { recoveryCodes } = await harness.rpc.call('rpc.auth.mfa.confirm', {
      actor: owner.actor,
      code: await totp(secret),
    });
    return { tenant, owner, secret, otpauthUri, recoveryCodes };
  }

  async function mfaTokenOf(user: { email: string; password: string }): Promise<string> {
    const reply = await harness.rpc.call('rpc.auth.login', { email: user.email, password: user.password });
    expect(reply).toMatchObject({ mfaRequired: true, mfaToken: expect.any(String) });
    return (reply as { mfaToken: string }).mfaToken;
  }

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

  it('should log in with password and TOTP when the user enrolled and confirmed', async () => {
    const { tenant, owner, secret, otpauthUri, recoveryCodes } = await ownerWithMfa();
    expect(otpauthUri).toBe(
      `otpauth://totp/Optralis:${encodeURIComponent(owner.email)}?secret=${secret}&issuer=Optralis`,
    );
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const mfaToken = await mfaTokenOf(owner);
    const pair = await harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: await totp(secret, 1) });

    const claims = await harness.rpc.call('rpc.auth.tokens.verifyAccess', { token: pair.accessToken });
    expect(claims).toMatchObject({
      sub: owner.actor.userId,
      tenant: tenant.id,
      role: 'owner',
      sid: pair.sessionId,
    });
    await expect(
      harness.rpc.call('rpc.auth.refresh', { refreshToken: pair.refreshToken }),
    ).resolves.toHaveProperty('accessToken');
    const view = await harness.rpc.call('rpc.auth.users.get', {
      actor: owner.actor,
      userId: owner.actor.userId,
    });
    expect(view.mfaEnabled).toBe(true);
    await expectEventually(async () =>
      expect(await auditActions()).toEqual(expect.arrayContaining(['mfa.enrolled', 'mfa.enabled'])),
    );
  });

  it('should store the secret sealed and the recovery codes hashed when MFA is confirmed', async () => {
    const { owner, secret, recoveryCodes } = await ownerWithMfa();

    const [row] = await harness.dataSource.query(
      `SELECT "sealed_secret" FROM "auth"."user_mfa" WHERE "user_id" = $1`,
      [owner.actor.userId],
    );
    expect(row.sealed_secret).toMatch(/^v1\./);
    expect(row.sealed_secret).not.toContain(secret);
    const hashes: { code_hash: string }[] = await harness.dataSource.query(
      `SELECT "code_hash" FROM "auth"."mfa_recovery_codes" WHERE "user_id" = $1`,
      [owner.actor.userId],
    );
    expect(hashes).toHaveLength(10);
    for (const code of recoveryCodes) {
      expect(hashes.map((hash) => hash.code_hash).join()).not.toContain(code.replace('-', ''));
    }
  });

  it('should answer mfa_invalid_code and audit it when the code is wrong, then accept the right one', async () => {
    const { owner, secret } = await ownerWithMfa();
    const mfaToken = await mfaTokenOf(owner);
    const right = await totp(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';

    const error = await rpcFailure(harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: wrong }));

    expect(error.code).toBe('mfa_invalid_code');
    await expect(harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: right })).resolves.toHaveProperty(
      'accessToken',
    );
    await expectEventually(async () => expect(await auditActions()).toContain('mfa.failed'));
  });

  it('should reject a code when it was accepted already inside its window', async () => {
    const { owner, secret } = await ownerWithMfa();
    const code = await totp(secret, 1);
    await harness.rpc.call('rpc.auth.mfa.verify', { mfaToken: await mfaTokenOf(owner), code });

    const replay = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.verify', { mfaToken: await mfaTokenOf(owner), code }),
    );
    const older = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.verify', {
        mfaToken: await mfaTokenOf(owner),
        code: await totp(secret),
      }),
    );

    expect(replay.code).toBe('mfa_invalid_code');
    expect(older.code).toBe('mfa_invalid_code');
  });

  it('should accept a recovery code once when it is given instead of a TOTP code', async () => {
    const { owner, recoveryCodes } = await ownerWithMfa();
    const typed = recoveryCodes[3].toUpperCase().replace('-', ' ');

    const pair = await harness.rpc.call('rpc.auth.mfa.verify', {
      mfaToken: await mfaTokenOf(owner),
      recoveryCode: typed,
    });
    const again = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.verify', {
        mfaToken: await mfaTokenOf(owner),
        recoveryCode: recoveryCodes[3],
      }),
    );

    expect(pair.user.id).toBe(owner.actor.userId);
    expect(again.code).toBe('mfa_invalid_code');
    await expectEventually(async () => expect(await auditActions()).toContain('mfa.recovery_code_used'));
  });

  it('should refuse the MFA token when it is used twice, expired, forged or of another kind', async () => {
    const { tenant, owner, secret } = await ownerWithMfa();
    const mfaToken = await mfaTokenOf(owner);
    const pair = await harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: await totp(secret, 1) });
    const [header, payload, signature] = (await mfaTokenOf(owner)).split('.');
    const forged = `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const expired = await harness.keys.sign({
      subject: owner.actor.userId,
      claims: { tenant: tenant.id, purpose: 'mfa' },
      ttlSeconds: 300,
      audience: 'optralis:mfa',
      issuedAt: new Date(Date.now() - 600_000),
    });
    const enrolment = await harness.keys.sign({
      subject: owner.actor.userId,
      claims: { tenant: tenant.id, purpose: 'mfa_enroll' },
      ttlSeconds: 300,
      audience: 'optralis:mfa',
    });

    const cases: [string, string][] = [
      [mfaToken, 'token_invalid'],
      [forged, 'token_invalid'],
      [expired.token, 'token_expired'],
      [pair.accessToken, 'token_invalid'],
      [enrolment.token, 'token_invalid'],
    ];
    for (const [candidate, code] of cases) {
      const error = await rpcFailure(
        harness.rpc.call('rpc.auth.mfa.verify', { mfaToken: candidate, code: await totp(secret, 1) }),
      );
      expect(error.code).toBe(code);
    }
  });

  it('should answer rate_limited when a token had five attempts, even for the right code', async () => {
    const { owner, secret } = await ownerWithMfa();
    const mfaToken = await mfaTokenOf(owner);
    const right = await totp(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt++) {
      await rpcFailure(harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: wrong }));
    }

    const error = await rpcFailure(harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: right }));

    expect(error.code).toBe('rate_limited');
    const fresh = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.verify', { mfaToken: await mfaTokenOf(owner), code: right }),
    );
    expect(fresh.code).toBe('rate_limited');
  });

  it('should make an admin enrol before any token when the tenant requires MFA for admins', async () => {
    const { tenant, owner } = await harness.tenant();
    const editor = { email: `editor-${tenant.slug}@example.com`, password: 'Amber-Falcon-Orchard-58' };
    await harness.rpc.call('rpc.auth.users.create', { actor: owner.actor, ...editor, role: 'editor' });
    await harness.dataSource.query(
      `UPDATE "auth"."tenants" SET "settings" = "settings" || '{"mfaRequiredForAdmins": true}' WHERE "id" = $1`,
      [tenant.id],
    );

    await expect(harness.rpc.call('rpc.auth.login', editor)).resolves.toHaveProperty('accessToken');
    const held = await harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password });
    expect(held).toEqual({ mfaEnrollmentRequired: true, mfaToken: expect.any(String) });
    const { mfaToken } = held as { mfaToken: string };
    const notForLogin = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.verify', { mfaToken, code: '123456' }),
    );
    expect(notForLogin.code).toBe('token_invalid');

    const { secret } = await harness.rpc.call('rpc.auth.mfa.enroll', { mfaToken });
    const confirmed = await harness.rpc.call('rpc.auth.mfa.confirm', { mfaToken, code: await totp(secret) });

    expect(confirmed.recoveryCodes).toHaveLength(10);
    const claims = await harness.rpc.call('rpc.auth.tokens.verifyAccess', {
      token: confirmed.session!.accessToken,
    });
    expect(claims).toMatchObject({ sub: owner.actor.userId, tenant: tenant.id, role: 'owner' });
    const reused = await rpcFailure(harness.rpc.call('rpc.auth.mfa.enroll', { mfaToken }));
    expect(reused.code).toBe('token_invalid');
    await expect(
      harness.rpc.call('rpc.auth.login', { email: owner.email, password: owner.password }),
    ).resolves.toMatchObject({ mfaRequired: true });
  });

  it("should not let a user confirm or disable another user's MFA", async () => {
    const a = await harness.tenant();
    const b = await harness.tenant();
    const { secret } = await harness.rpc.call('rpc.auth.mfa.enroll', { actor: a.owner.actor });

    const confirm = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.confirm', { actor: b.owner.actor, code: await totp(secret) }),
    );
    expect(confirm.code).toBe('mfa_not_enrolled');
    const spoofed: Actor = { ...b.owner.actor, userId: a.owner.actor.userId };
    const crossTenant = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.confirm', { actor: spoofed, code: await totp(secret) }),
    );
    expect(crossTenant.code).toBe('not_found');

    await harness.rpc.call('rpc.auth.mfa.confirm', { actor: a.owner.actor, code: await totp(secret) });
    const disable = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.disable', { actor: b.owner.actor, code: await totp(secret, 1) }),
    );
    expect(disable.code).toBe('mfa_not_enrolled');
    const disableSpoofed = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.disable', { actor: spoofed, password: a.owner.password }),
    );
    expect(disableSpoofed.code).toBe('not_found');
    await expect(
      harness.rpc.call('rpc.auth.login', { email: a.owner.email, password: a.owner.password }),
    ).resolves.toMatchObject({ mfaRequired: true });
  });

  it('should disable MFA with the password or a current code and refuse a wrong password', async () => {
    const first = await ownerWithMfa();
    const second = await ownerWithMfa();

    const wrong = await rpcFailure(
      harness.rpc.call('rpc.auth.mfa.disable', { actor: first.owner.actor, password: 'Not-The-Password-1' }),
    );
    expect(wrong.code).toBe('invalid_credentials');
    await harness.rpc.call('rpc.auth.mfa.disable', {
      actor: first.owner.actor,
      password: first.owner.password,
    });
    await harness.rpc.call('rpc.auth.mfa.disable', {
      actor: second.owner.actor,
      code: await totp(second.secret, 1),
    });

    await expect(
      harness.rpc.call('rpc.auth.login', { email: first.owner.email, password: first.owner.password }),
    ).resolves.toHaveProperty('accessToken');
    await expect(
      harness.rpc.call('rpc.auth.login', { email: second.owner.email, password: second.owner.password }),
    ).resolves.toHaveProperty('accessToken');
    await expectEventually(async () => expect(await auditActions()).toContain('mfa.disabled'));
  });

  it('should answer mfa_already_enabled when an enabled user enrols again', async () => {
    const { owner } = await ownerWithMfa();
    const error = await rpcFailure(harness.rpc.call('rpc.auth.mfa.enroll', { actor: owner.actor }));
    expect(error.code).toBe('mfa_already_enabled');
  });

  const actor = {
    userId: '11111111-1111-4111-8111-111111111111',
    tenantId: '22222222-2222-4222-8222-222222222222',
    role: 'owner',
  };
  it.each([
    ['bytes that are not JSON', 'rpc.auth.mfa.verify', '{oops'],
    [
      'a code that is not six digits',
      'rpc.auth.mfa.verify',
      JSON.stringify({ mfaToken: 'x', code: '12ab56' }),
    ],
    ['a seven-digit code', 'rpc.auth.mfa.confirm', JSON.stringify({ actor, code: '1234567' })],
    ['a numeric code', 'rpc.auth.mfa.verify', JSON.stringify({ mfaToken: 'x', code: 123456 })],
    [
      'an oversized token',
      'rpc.auth.mfa.verify',
      JSON.stringify({ mfaToken: 'x'.repeat(600_000), code: '123456' }),
    ],
    [
      'an oversized recovery code',
      'rpc.auth.mfa.verify',
      JSON.stringify({ mfaToken: 'x', recoveryCode: 'a'.repeat(200) }),
    ],
    [
      'both a code and a recovery code',
      'rpc.auth.mfa.verify',
      JSON.stringify({ mfaToken: 'x', code: '123456', recoveryCode: 'abcde-fghjk' }),
    ],
    ['neither a code nor a recovery code', 'rpc.auth.mfa.verify', JSON.stringify({ mfaToken: 'x' })],
    ['an actor and a token together', 'rpc.auth.mfa.enroll', JSON.stringify({ actor, mfaToken: 'x' })],
    [
      'a user id to act on',
      'rpc.auth.mfa.disable',
      JSON.stringify({ actor, userId: actor.userId, password: 'x' }),
    ],
    ['a malformed actor', 'rpc.auth.mfa.enroll', JSON.stringify({ actor: { ...actor, userId: '../etc' } })],
  ])('should answer invalid_request when the request carries %s', async (_case, subject, body) => {
    await expect(rawRequest(subject, body)).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });
});
