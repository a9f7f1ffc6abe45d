import { randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, startTokensApp, type TokensApp } from '../../test/tokens-app';
import { TokenVerifier } from './token-verifier.service';
import { TokensService } from './tokens.service';
import { rpcFailure } from '../../test/rpc-assertions';

describe(TokensService.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let first: TokensApp;
  let second: TokensApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    first = await startTokensApp({ databaseUrl: database.url, namespace: nats.namespace });
    second = await startTokensApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should verify an API token with its tenant and role when it was just created', async () => {
    const admin = actor('admin');
    const created = await first.rpc.call('rpc.auth.apiTokens.create', {
      actor: admin,
      name: 'ci',
      role: 'editor',
    });
    expect(created.token).toMatch(/^opt_api_[a-z0-9]{8}_[0-9a-f]{48}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);

    await expect(first.rpc.call('rpc.auth.tokens.verify', { token: created.token })).resolves.toEqual({
      kind: 'api',
      tenantId: admin.tenantId,
      tokenId: created.id,
      role: 'editor',
      name: 'ci',
    });
    const [row] = await first.dataSource.query(
      `SELECT "hash", "prefix" FROM "auth"."api_tokens" WHERE "id" = $1`,
      [created.id],
    );
    expect(row.prefix).toBe(created.prefix);
    expect(Buffer.from(row.hash).toString('hex')).not.toContain(created.token.slice(-48));
  });

  it('should list the token without its secret and record its last use when it was verified', async () => {
    const admin = actor('owner');
    const created = await first.rpc.call('rpc.auth.ingestTokens.create', { actor: admin, name: 'telegraf' });
    await first.rpc.call('rpc.auth.tokens.verify', { token: created.token });

    const listed = await expectEventually(async () => {
      const { items } = await first.rpc.call('rpc.auth.ingestTokens.list', { actor: admin });
      expect(items).toHaveLength(1);
      expect(items[0].lastUsedAt).not.toBeNull();
      return items[0];
    });
    expect(listed).toMatchObject({ id: created.id, name: 'telegraf', prefix: created.prefix });
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('should refuse a revoked token on the other instance when its cache already held it', async () => {
    const admin = actor('admin');
    const created = await first.rpc.call('rpc.auth.ingestTokens.create', { actor: admin, name: 'agents' });
    const verifyOnSecond = () => second.app.get(TokenVerifier).verify(created.token);
    await expect(verifyOnSecond()).resolves.toMatchObject({ kind: 'ingest', tenantId: admin.tenantId });

    await first.rpc.call('rpc.auth.ingestTokens.revoke', { actor: admin, id: created.id });

    await expect(first.app.get(TokenVerifier).verify(created.token)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expectEventually(() => expect(verifyOnSecond()).rejects.toMatchObject({ code: 'unauthorized' }), {
      timeoutMs: 500,
      intervalMs: 5,
    });
  });

  it('should refuse an API token when its expiry has passed, even from the cache', async () => {
    const admin = actor('admin');
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await first.rpc.call('rpc.auth.apiTokens.create', {
      actor: admin,
      name: 'short',
      role: 'observer',
      expiresAt,
    });
    await expect(first.rpc.call('rpc.auth.tokens.verify', { token: created.token })).resolves.toMatchObject({
      tokenId: created.id,
    });
    await expectEventually(async () => {
      const error = await rpcFailure(first.rpc.call('rpc.auth.tokens.verify', { token: created.token }));
      expect(error.code).toBe('unauthorized');
    });
  });

  it('should refuse a forged token when its prefix is real but its secret is not', async () => {
    const created = await first.rpc.call('rpc.auth.apiTokens.create', {
      actor: actor(),
      name: 'real',
      role: 'observer',
    });
    const forged = `${created.prefix}_${'0'.repeat(48)}`;
    expect((await rpcFailure(first.rpc.call('rpc.auth.tokens.verify', { token: forged }))).code).toBe(
      'unauthorized',
    );
    const unknown = `opt_ing_zzzzzzzz_${'a'.repeat(48)}`;
    expect((await rpcFailure(first.rpc.call('rpc.auth.tokens.verify', { token: unknown }))).code).toBe(
      'unauthorized',
    );
    expect(
      (await rpcFailure(first.rpc.call('rpc.auth.tokens.verify', { token: 'Bearer nonsense' }))).code,
    ).toBe('unauthorized');
  });

  it('should neither list nor revoke another tenant’s token when an admin of tenant B asks', async () => {
    const adminOfA = actor('admin');
    const adminOfB = actor('admin');
    const created = await first.rpc.call('rpc.auth.apiTokens.create', {
      actor: adminOfA,
      name: 'a-only',
      role: 'observer',
    });

    const { items } = await first.rpc.call('rpc.auth.apiTokens.list', {
      actor: adminOfB,
      includeRevoked: true,
    });
    expect(items).toEqual([]);
    const error = await rpcFailure(
      first.rpc.call('rpc.auth.apiTokens.revoke', { actor: adminOfB, id: created.id }),
    );
    expect(error.code).toBe('not_found');
    const unknown = await rpcFailure(
      first.rpc.call('rpc.auth.apiTokens.revoke', { actor: adminOfB, id: randomUUID() }),
    );
    expect(unknown.message.replace(/[0-9a-f-]{36}/, 'ID')).toBe(error.message.replace(/[0-9a-f-]{36}/, 'ID'));
    await expect(first.rpc.call('rpc.auth.tokens.verify', { token: created.token })).resolves.toMatchObject({
      tokenId: created.id,
    });
  });

  it('should refuse a token above the actor’s role and any token from an editor', async () => {
    const admin = actor('admin');
    const escalation = await rpcFailure(
      first.rpc.call('rpc.auth.apiTokens.create', { actor: admin, name: 'x', role: 'owner' }),
    );
    expect(escalation.code).toBe('forbidden');
    const editor = actor('editor');
    const notManager = await rpcFailure(
      first.rpc.call('rpc.auth.ingestTokens.create', { actor: editor, name: 'x' }),
    );
    expect(notManager.code).toBe('forbidden');
    expect((await first.rpc.call('rpc.auth.apiTokens.list', { actor: admin })).items).toEqual([]);
  });

  it('should answer invalid_request when inputs are malformed or oversized', async () => {
    const admin = actor('admin');
    const raw = async (subject: string, body: unknown) =>
      (
        await nats.connection.request(
          `${nats.namespace}.${subject}`,
          new TextEncoder().encode(JSON.stringify(body)),
          {
            timeout: 2000,
          },
        )
      ).json<{ ok: boolean; error?: { code: string } }>();
    const cases: [string, unknown][] = [
      ['rpc.auth.apiTokens.create', { actor: admin, name: 'x'.repeat(101), role: 'admin' }],
      ['rpc.auth.apiTokens.create', { actor: admin, name: 'x', role: 'root' }],
      [
        'rpc.auth.apiTokens.create',
        { actor: admin, name: 'x', role: 'admin', expiresAt: '2001-01-01T00:00:00Z' },
      ],
      ['rpc.auth.apiTokens.create', { actor: { ...admin, tenantId: 'a.b' }, name: 'x', role: 'admin' }],
      ['rpc.auth.ingestTokens.create', { actor: admin, name: 'x', role: 'admin' }],
      ['rpc.auth.ingestTokens.revoke', { actor: admin, id: 'not-a-uuid' }],
      ['rpc.auth.tokens.verify', { token: 'x'.repeat(100_000) }],
      ['rpc.auth.tokens.verify', {}],
    ];
    for (const [subject, body] of cases) {
      expect(await raw(subject, body), subject).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
  });

  it('should answer a conflict when an active token of the same name exists', async () => {
    const admin = actor('admin');
    await first.rpc.call('rpc.auth.ingestTokens.create', { actor: admin, name: 'twice' });
    const error = await rpcFailure(
      first.rpc.call('rpc.auth.ingestTokens.create', { actor: admin, name: 'twice' }),
    );
    expect(error.code).toBe('conflict');
  });
});
