import { isSubjectToken } from '@optralis/contracts';

import { hostIdentity } from './host-identity';

describe(hostIdentity.name, () => {
  it('should keep the value when it is already subject-safe', () => {
    expect(hostIdentity('4c4c4544-0031:web@eu~1+a=b')).toEqual({
      id: '4c4c4544-0031:web@eu~1+a=b',
      name: '4c4c4544-0031:web@eu~1+a=b',
    });
  });

  it.each([
    ['web-01.example.com', 'web-01_example_com'],
    ['db*', 'db_'],
    ['a>b', 'a_b'],
    ['my host\tname', 'my_host_name'],
    ['10.0.0.1:9100', '10_0_0_1:9100'],
    ['héllo', 'h_llo'],
  ])('should replace unsafe characters with "_" when given %j', (value, id) => {
    const identity = hostIdentity(value);
    expect(identity).toEqual({ id, name: value });
    expect(isSubjectToken(identity.id)).toBe(true);
  });

  it('should keep 111 characters and a digest when the id is longer than 128 characters', () => {
    const long = 'h'.repeat(300);
    const identity = hostIdentity(long);
    expect(identity.id).toMatch(/^h{111}-[0-9a-f]{16}$/);
    expect(isSubjectToken(identity.id)).toBe(true);
    expect(hostIdentity(`${'h'.repeat(299)}i`).id).not.toBe(identity.id);
  });

  it('should cut the host name to 255 characters when the value is longer', () => {
    expect(hostIdentity('n'.repeat(400)).name).toHaveLength(255);
  });
});
