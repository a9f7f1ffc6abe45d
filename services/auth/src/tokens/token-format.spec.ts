import { adoptToken, hashMatches, hashToken, issueToken, parseToken } from './token-format';

describe(issueToken.name, () => {
  it('should issue distinct tokens whose prefix and hash identify them when called twice', () => {
    const one = issueToken('api');
    const two = issueToken('api');
    expect(one.token).toMatch(/^opt_api_[a-z0-9]{8}_[0-9a-f]{48}$/);
    expect(one.token.startsWith(`${one.prefix}_`)).toBe(true);
    expect(one.token).not.toBe(two.token);
    expect(one.hash.equals(hashToken(one.token))).toBe(true);
  });

  it('should use the ingest tag when the kind is ingest', () => {
    expect(issueToken('ingest').token).toMatch(/^opt_ing_/);
  });
});

describe(parseToken.name, () => {
  it('should return the kind and prefix when the token is well formed', () => {
    const issued = issueToken('ingest');
    expect(parseToken(issued.token)).toEqual({ kind: 'ingest', prefix: issued.prefix });
  });

  it('should return undefined when the token is malformed', () => {
    const valid = issueToken('api').token;
    for (const token of [
      '',
      'opt_api_',
      `${valid}0`,
      valid.toUpperCase(),
      valid.replace('opt_api', 'opt_xyz'),
    ]) {
      expect(parseToken(token)).toBeUndefined();
    }
  });
});

describe(hashMatches.name, () => {
  it('should accept the token and refuse a forged secret when the prefix is the same', () => {
    const issued = issueToken('api');
    expect(hashMatches(issued.token, issued.hash)).toBe(true);
    expect(hashMatches(`${issued.prefix}_${'0'.repeat(48)}`, issued.hash)).toBe(false);
  });
});

describe(adoptToken.name, () => {
  it('should keep a supplied token and refuse one of the wrong format', () => {
    const issued = issueToken('ingest');
    expect(adoptToken(issued.token)).toMatchObject({ prefix: issued.prefix, token: issued.token });
    expect(() => adoptToken('secret')).toThrow(/format/);
  });
});
