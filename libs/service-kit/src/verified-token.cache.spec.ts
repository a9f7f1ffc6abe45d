import { tokenPrefix, VerifiedTokenCache } from './verified-token.cache';

describe(VerifiedTokenCache.name, () => {
  const token = 'opt_api_k3y_s3cret';

  it('should answer the identity only for the exact token it verified', () => {
    const cache = new VerifiedTokenCache<{ tenantId: string }>(60_000);
    cache.set(token, { tenantId: 't1' });
    expect(cache.get(token)).toEqual({ tenantId: 't1' });
    expect(cache.get('opt_api_k3y_guessed')).toBeUndefined();
    expect(cache.get('opt_api_other_s3cret')).toBeUndefined();
  });

  it('should remember a refusal as null and forget by prefix or all at once', () => {
    const cache = new VerifiedTokenCache<{ tenantId: string }>(60_000);
    cache.set('opt_api_bad_x', null);
    expect(cache.get('opt_api_bad_x')).toBeNull();
    cache.set(token, { tenantId: 't1' });
    cache.invalidate(tokenPrefix(token));
    expect(cache.get(token)).toBeUndefined();
    cache.clear();
    expect(cache.get('opt_api_bad_x')).toBeUndefined();
  });

  it('should key by everything before the last underscore', () => {
    expect(tokenPrefix('opt_ing_abc_secret')).toBe('opt_ing_abc');
    expect(tokenPrefix('nounderscore')).toBe('nounderscore');
  });
});
