import { passwordProblem } from './password.policy';

describe(passwordProblem.name, () => {
  it.each([
    ['short', 'Tr0ub4dor&3'],
    ['common with decoration', 'Password123456!'],
    ['common in leetspeak', 'P@ssw0rd!2024'],
    ['common keyboard walk', 'qwertyuiop123'],
    ['a sequence', 'abcdefghijklmn'],
    ['one repeated character', 'aaaaaaaaaaaaaaaa'],
  ])('should refuse %s when given %j', (_reason, password) => {
    expect(passwordProblem(password)).toEqual(expect.any(String));
  });

  it('should refuse a password that contains the email local part when the email is known', () => {
    expect(passwordProblem('Jdoe-Mountain-77', { email: 'jdoe@example.com' })).toBe(
      'do not use your email address',
    );
  });

  it('should refuse a password that contains the tenant slug when the tenant is known', () => {
    expect(passwordProblem('acme-corp-Secure-9', { tenantSlug: 'acme-corp' })).toBe(
      'do not use the tenant name',
    );
  });

  it.each(['Quiet-Harbour-Lantern-42', 'correct horse battery staple', 'ʎzzɐ-ɹǝʇsɐɯ-plɹoʍ'])(
    'should accept %j when it is long and uncommon',
    (password) => {
      expect(passwordProblem(password, { email: 'ops@example.com', tenantSlug: 'default' })).toBeUndefined();
    },
  );
});
