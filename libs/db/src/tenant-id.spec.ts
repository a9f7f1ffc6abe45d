import { asTenantId, InvalidTenantIdError } from './tenant-id';

describe(asTenantId.name, () => {
  it('should return the same value when the id is a valid subject token', () => {
    const tenantId: string = asTenantId('tenant_42-a');

    expect(tenantId).toBe('tenant_42-a');
  });

  it.each(['', 'acme.eu', 'a*', 'a>', 'a b', '\tacme', 'x'.repeat(129)])(
    'should throw when the id is %j',
    (value) => {
      expect(() => asTenantId(value)).toThrow(InvalidTenantIdError);
    },
  );

  it('should name the rejected value when it throws', () => {
    expect(() => asTenantId('acme.eu')).toThrow('tenant id "acme.eu" is invalid');
  });
});
