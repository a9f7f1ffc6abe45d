import { TokenCache } from './token-cache';
import type { TokenRecord } from './token.types';

const record = { id: 'id-1', prefix: 'opt_api_aaaaaaaa' } as TokenRecord;

describe(TokenCache.name, () => {
  const sut = () => new TokenCache({ maxEntries: 2, positiveTtlMs: 1000, negativeTtlMs: 100 });

  it('should evict the least recently used entry when it is full', () => {
    const cache = sut();
    cache.set('a', record, 0, cache.generation);
    cache.set('b', record, 0, cache.generation);
    cache.get('a', 1);
    cache.set('c', record, 1, cache.generation);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 2)).toBeUndefined();
    expect(cache.get('a', 2)).toBe(record);
  });

  it('should answer null for an unknown prefix until the short negative TTL ends', () => {
    const cache = sut();
    cache.set('x', undefined, 0, cache.generation);
    expect(cache.get('x', 99)).toBeNull();
    expect(cache.get('x', 100)).toBeUndefined();
  });

  it('should drop a stale load when an invalidation happened while it ran', () => {
    const cache = sut();
    const generation = cache.generation;
    cache.invalidate('a');
    cache.set('a', record, 0, generation);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('should allow one touch per interval when asked repeatedly', () => {
    const cache = sut();
    cache.set('a', record, 0, cache.generation);
    expect(cache.shouldTouch('a', 60_000, 60_000)).toBe(true);
    expect(cache.shouldTouch('a', 60_500, 60_000)).toBe(false);
    expect(cache.shouldTouch('a', 120_000, 60_000)).toBe(true);
  });
});
