import { canonicalJson, chainHash, GENESIS_HASH, type ChainedFields } from './audit-chain';

describe(canonicalJson.name, () => {
  it('should give the same text when keys come in another order at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it('should leave out undefined members when serialising', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe(chainHash.name, () => {
  const fields: ChainedFields = {
    id: 'e-1',
    seq: '1',
    tenantId: 'tenant-a',
    time: new Date('2026-01-01T00:00:00.000Z'),
    service: 'auth',
    actor: { type: 'user', id: 'u-1' },
    action: 'user.login',
    target: null,
    outcome: 'success',
    requestId: null,
    ip: null,
    data: { a: 1 },
    prevHash: GENESIS_HASH,
  };

  it('should change when any field or the previous hash changes', () => {
    const base = chainHash(fields);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash({ ...fields, data: { a: 2 } })).not.toBe(base);
    expect(chainHash({ ...fields, seq: '2' })).not.toBe(base);
    expect(chainHash({ ...fields, prevHash: 'f'.repeat(64) })).not.toBe(base);
    expect(chainHash({ ...fields, data: { a: 1 } })).toBe(base);
  });
});
