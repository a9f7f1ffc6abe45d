import { asTenantId } from '@optralis/db';

import { strictMock } from '@optralis/testing/vitest';
import { TokenCache } from './token-cache';
import { issueToken } from './token-format';
import { TokenVerifier } from './token-verifier.service';
import type { TokenRecord } from './token.types';
import { TokensRepository } from './tokens.repository';

describe(TokenVerifier.name, () => {
  const issued = issueToken('api');
  const stored: TokenRecord = {
    id: '8d4f2a52-0b8e-4b8e-9a3c-6b1f0c0d2e11',
    kind: 'api',
    tenantId: asTenantId('tenant-a'),
    name: 'ci',
    role: 'editor',
    prefix: issued.prefix,
    hash: issued.hash,
    createdBy: 'user-1',
    createdAt: new Date(0),
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
  };

  function setup(record: TokenRecord | null = stored, now = 1_000_000) {
    const repository = strictMock<TokensRepository>(['findByPrefix', 'touch']);
    repository.findByPrefix.mockResolvedValue(record ?? undefined);
    repository.touch.mockResolvedValue(undefined);
    const clock = { now };
    const cache = new TokenCache({ maxEntries: 10, positiveTtlMs: 60_000, negativeTtlMs: 5_000 });
    const sut = new TokenVerifier(repository, cache, () => clock.now);
    return { sut, repository, clock };
  }

  it('should answer from the cache without the database when the token was verified before', async () => {
    const { sut, repository } = setup();
    const expected = { kind: 'api', tenantId: 'tenant-a', tokenId: stored.id, role: 'editor', name: 'ci' };
    await expect(sut.verify(issued.token)).resolves.toEqual(expected);
    await expect(sut.verify(issued.token)).resolves.toEqual(expected);
    expect(repository.findByPrefix).toHaveBeenCalledTimes(1);
    expect(repository.touch).toHaveBeenCalledTimes(1);
  });

  it('should refuse without a database read when the token is malformed', async () => {
    const { sut, repository } = setup();
    await expect(sut.verify('opt_api_short')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(repository.findByPrefix).not.toHaveBeenCalled();
  });

  it('should refuse a forged secret when the prefix belongs to a real token', async () => {
    const { sut } = setup();
    await expect(sut.verify(`${issued.prefix}_${'f'.repeat(48)}`)).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('should refuse a cached token when its expiry passes', async () => {
    const { sut, clock } = setup({ ...stored, expiresAt: new Date(1_000_500) });
    await expect(sut.verify(issued.token)).resolves.toMatchObject({ tokenId: stored.id });
    clock.now = 1_000_500;
    await expect(sut.verify(issued.token)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('should refuse a revoked token when the database says so', async () => {
    const { sut } = setup({ ...stored, revokedAt: new Date(0) });
    await expect(sut.verify(issued.token)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('should remember an unknown prefix for a short time when the database has no such token', async () => {
    const { sut, repository, clock } = setup(null);
    await expect(sut.verify(issued.token)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(sut.verify(issued.token)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(repository.findByPrefix).toHaveBeenCalledTimes(1);
    clock.now += 5_000;
    await expect(sut.verify(issued.token)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(repository.findByPrefix).toHaveBeenCalledTimes(2);
  });
});
