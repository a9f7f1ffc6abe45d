import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import { loadConfig } from '@optralis/config';
import { createDataSource, type DatabaseService, runMigrationsLocked } from '@optralis/db';
import { createTestDatabase, type TestDatabase } from '@optralis/testing';
import { generateKeyPair, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';

import { AuthEnv } from '../config';
import { CreateIdentity1763700000000 } from '../migrations/1763700000000-create-identity';
import type { AuditTrail } from '../shared/audit.trail';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';
import { loadMasterKey } from '@optralis/service-kit';

describe(KeysService.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const masterKey = randomBytes(32);
  const audit = { record: vi.fn(async () => undefined) } as unknown as AuditTrail;
  const ready = { whenReady: async () => undefined } as unknown as DatabaseService;

  function keysService(environment: Record<string, string> = {}): KeysService {
    const config = loadConfig(AuthEnv, { LOG_LEVEL: 'silent', ...environment });
    return new KeysService(new KeysRepository(dataSource), audit, config, masterKey, ready);
  }

  const subject = '11111111-1111-4111-8111-111111111111';
  const claims = { tenant: '22222222-2222-4222-8222-222222222222', role: 'admin', sid: subject };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource({
      url: database.url,
      schema: 'auth',
      migrations: [CreateIdentity1763700000000],
    }).initialize();
    await runMigrationsLocked(dataSource, { schema: 'auth' });
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('should verify its own token and answer token_expired when the token is past its expiry', async () => {
    const sut = keysService();
    const fresh = await sut.sign({ subject, claims, ttlSeconds: 900 });
    const old = await sut.sign({
      subject,
      claims,
      ttlSeconds: 900,
      issuedAt: new Date(Date.now() - 3_600_000),
    });

    await expect(sut.verifyAccess(fresh.token)).resolves.toMatchObject({ sub: subject, jti: fresh.jti });
    await expect(sut.verifyAccess(old.token)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('should answer token_invalid when the token is forged, unsigned, signed by another key or for another audience', async () => {
    const sut = keysService();
    const { token } = await sut.sign({ subject, claims, ttlSeconds: 900 });
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'owner' }),
    ).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid })).toString('base64url')}.${payload}.`;
    const stranger = await generateKeyPair('ES256');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const wrongKey = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(subject)
      .setIssuer('optralis-auth')
      .setAudience('optralis')
      .setJti('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    const otherAudience = await sut.sign({ subject, claims, ttlSeconds: 900, audience: 'optralis:mfa' });
    const otherIssuer = await keysService({ AUTH_JWT_ISSUER: 'someone-else' }).sign({
      subject,
      claims,
      ttlSeconds: 900,
    });

    for (const candidate of [
      `${header}.${payload}.${flipped}`,
      `${header}.${forgedPayload}.${signature}`,
      none,
      wrongKey,
      otherAudience.token,
      otherIssuer.token,
    ]) {
      await expect(sut.verifyAccess(candidate)).rejects.toMatchObject({ code: 'token_invalid' });
    }
  });

  it('should keep the previous key published and its tokens valid when the key rotates', async () => {
    const sut = keysService();
    await sut.start();
    const before = await sut.sign({ subject, claims, ttlSeconds: 900 });
    const oldKid = (await sut.jwks()).keys[0].kid;

    await sut.rotate();

    const kids = (await sut.jwks()).keys.map((key) => key.kid);
    expect(kids).toHaveLength(2);
    expect(kids).toContain(oldKid);
    await expect(sut.verifyAccess(before.token)).resolves.toMatchObject({ jti: before.jti });
    const after = await sut.sign({ subject, claims, ttlSeconds: 900 });
    expect(JSON.parse(Buffer.from(after.token.split('.')[0], 'base64url').toString()).kid).not.toBe(oldKid);
    sut.onApplicationShutdown();
  });

  it('should rotate only when the newest key is older than the rotation period', async () => {
    const sut = keysService({ AUTH_KEY_ROTATION_DAYS: '30' });
    await expect(sut.rotateIfDue()).resolves.toBe(true);

    await expect(sut.rotateIfDue()).resolves.toBe(false);
    await expect(sut.rotateIfDue(new Date(Date.now() + 31 * 86_400_000))).resolves.toBe(true);
  });

  it("should let a second instance verify the first one's tokens when both share the database", async () => {
    const [first, second] = [keysService(), keysService()];
    await Promise.all([first.rotateIfDue(), second.rotateIfDue()]);
    const { token } = await first.sign({ subject, claims, ttlSeconds: 900 });

    await expect(second.verifyAccess(token)).resolves.toMatchObject({ sub: subject });
    const [row] = await dataSource.query(`SELECT count(*)::int AS count FROM "auth"."signing_keys"`);
    expect(row.count).toBe(1);
  });

  it('should store the private key sealed when it writes a key', async () => {
    await keysService().rotateIfDue();

    const [row] = await dataSource.query(`SELECT "private_key", "public_jwk" FROM "auth"."signing_keys"`);
    expect(row.private_key).toMatch(/^v1\./);
    expect(row.private_key).not.toContain('"d"');
    expect(row.public_jwk).not.toHaveProperty('d');
  });
});

describe(loadMasterKey.name, () => {
  it('should create the key file with mode 0600 once and read the same key when loaded again', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'auth-key-')), '.optralis', 'auth-master.key');

    const first = loadMasterKey({ file });
    const second = loadMasterKey({ file });

    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('should prefer AUTH_KEY_ENCRYPTION_KEY when it is set', () => {
    const key = randomBytes(32);
    expect(loadMasterKey({ encryptionKey: key.toString('base64'), file: '/nonexistent/x' }).equals(key)).toBe(
      true,
    );
  });
});
