import { claimValues, mapRole, SsoLoginService } from './sso-login.service';

describe(SsoLoginService.name, () => {
  const policy = { roleMap: { ops: 'editor', admins: 'admin' } as const, defaultRole: 'observer' as const };

  it('should pick the highest mapped role when several claim values map', () => {
    expect(mapRole(policy, ['ops', 'admins', 'staff'])).toBe('admin');
  });

  it('should fall back to the default role when no value maps', () => {
    expect(mapRole(policy, ['staff'])).toBe('observer');
  });

  it('should refuse when no value maps and there is no default role', () => {
    expect(() => mapRole({ ...policy, defaultRole: null }, ['staff'])).toThrow(
      expect.objectContaining({ code: 'sso.role_unmapped' }),
    );
  });

  it('should not map inherited object keys when a claim value is __proto__ or toString', () => {
    expect(mapRole(policy, ['__proto__', 'toString', 'constructor'])).toBe('observer');
  });

  it('should read a claim as a list of strings whatever its shape', () => {
    expect(claimValues('ops')).toEqual(['ops']);
    expect(claimValues(['ops', 7, { nested: true }, null])).toEqual(['ops', '7']);
    expect(claimValues(undefined)).toEqual([]);
  });
});
