import {
  canonicalJson,
  canonicalLabels,
  hostEventId,
  inventoryHash,
  labelsKey,
  storable,
  storableJson,
} from './series-keys';

describe('series keys', () => {
  it('should give the same key to the same labels when they come in another order', () => {
    const one = labelsKey(canonicalLabels({ zone: 'a', rack: '1', b: '' }));
    const two = labelsKey(canonicalLabels({ b: '', rack: '1', zone: 'a' }));

    expect(one).toBe(two);
    expect(one).toBe('[["b",""],["rack","1"],["zone","a"]]');
  });

  it('should give [] when a sample has no labels', () => {
    expect(labelsKey(canonicalLabels(undefined))).toBe('[]');
    expect(labelsKey(canonicalLabels({}))).toBe('[]');
  });

  it('should keep keys apart when separators appear inside label values', () => {
    const sets: Record<string, string>[] = [
      { a: 'x","b":"y' },
      { a: 'x', b: 'y' },
      { 'a,b': 'x' },
      { a: ',b=x' },
    ];
    const keys = sets.map((labels) => labelsKey(canonicalLabels(labels)));

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('should hash the key when the labels are long', () => {
    const key = labelsKey(canonicalLabels({ a: 'v'.repeat(300) }));

    expect(key).toMatch(/^#[A-Za-z0-9_-]{43}$/);
    expect(labelsKey(canonicalLabels({ a: 'v'.repeat(300) }))).toBe(key);
  });

  it('should replace NUL and lone surrogates when a string cannot be stored by Postgres', () => {
    expect(storable('plain 🚀')).toBe('plain 🚀');
    expect(storable('a\u0000b')).toBe('a\uFFFDb');
    expect(storable('x\uD800y\uDC00')).toBe('x\uFFFDy\uFFFD');
    expect(storableJson({ 'k\u0000': ['v\uD800', { n: 1 }] })).toEqual({ 'k\uFFFD': ['v\uFFFD', { n: 1 }] });
  });

  it('should hash inventories equally when only their key order differs', () => {
    const one = canonicalJson({ os: { name: 'debian', version: 12 }, cpus: [1, 2] });
    const two = canonicalJson({ cpus: [1, 2], os: { version: 12, name: 'debian' } });

    expect(one).toBe(two);
    expect(inventoryHash(one)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('should hash an event id when it would exceed the contract length', () => {
    expect(hostEventId({ tenantId: 't', hostId: 'h', kind: 'online', suffix: '12' })).toBe(
      'host:t:h:online:12',
    );
    expect(hostEventId({ tenantId: 't'.repeat(128), hostId: 'h'.repeat(128), kind: 'registered' })).toMatch(
      /^host:[0-9a-f]{64}$/,
    );
  });
});
