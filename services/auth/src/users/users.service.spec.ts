import type { TenantId } from '@optralis/db';

import { strictMock } from '@optralis/testing/vitest';
import type { Actor } from '../shared/actor';
import type { AuditTrail } from '../shared/audit.trail';
import type { PasswordHasher } from '../shared/password.hasher';
import type { TenantsRepository } from '../tenants/tenants.repository';
import type { CredentialsService } from './credentials.service';
import type { MemberRecord, UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const TENANT = '22222222-2222-4222-8222-222222222222';
const admin: Actor = { userId: '11111111-1111-4111-8111-111111111111', tenantId: TENANT, role: 'admin' };
const TARGET = '33333333-3333-4333-8333-333333333333';

function member(overrides: Partial<MemberRecord> = {}): MemberRecord {
  return {
    id: TARGET,
    email: 'member@example.com',
    passwordHash: 'h',
    status: 'active',
    mustChangePassword: false,
    passwordSetAt: null,
    failedLoginCount: 0,
    lockedUntil: null,
    mfaEnabled: false,
    createdAt: new Date(),
    role: 'editor',
    ...overrides,
  };
}

describe(UsersService.name, () => {
  function setup() {
    const users = strictMock<UsersRepository>([
      'member',
      'listMembers',
      'setRole',
      'countOwners',
      'removeMember',
      'setPassword',
      'revokeSessions',
      'findByEmail',
    ]);
    const tenants = strictMock<TenantsRepository>(['findById']);
    const credentials = strictMock<CredentialsService>(['verify']);
    const hasher = strictMock<PasswordHasher>(['hash', 'verify']);
    const audit = strictMock<AuditTrail>(['record']);
    audit.record.mockResolvedValue(undefined);
    return { sut: new UsersService(users, tenants, credentials, hasher, audit), users, audit };
  }

  it('should answer not_found when the user is not a member of the caller tenant', async () => {
    const { sut, users } = setup();
    users.member.mockResolvedValue(undefined);

    await expect(sut.get(admin, TARGET)).rejects.toMatchObject({ code: 'not_found' });
    expect(users.member).toHaveBeenCalledWith(TENANT as TenantId, TARGET);
  });

  it('should answer forbidden before any lookup when an editor lists users', async () => {
    const { sut } = setup();

    await expect(sut.list({ ...admin, role: 'editor' }, { limit: 10 })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('should refuse an admin who tries to make someone owner', async () => {
    const { sut, users } = setup();
    users.member.mockResolvedValue(member());

    await expect(sut.update(admin, TARGET, { role: 'owner' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(users.setRole).not.toHaveBeenCalled();
  });

  it('should change the role and audit it when an admin promotes an editor', async () => {
    const { sut, users, audit } = setup();
    users.member.mockResolvedValueOnce(member()).mockResolvedValueOnce(member({ role: 'admin' }));
    users.setRole.mockResolvedValue(undefined);

    await expect(sut.update(admin, TARGET, { role: 'admin' })).resolves.toMatchObject({ role: 'admin' });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'user.role_changed', data: { from: 'editor', to: 'admin' } }),
    );
  });

  it('should give a paging cursor when there are more users than the limit', async () => {
    const { sut, users } = setup();
    users.listMembers.mockResolvedValue([member({ email: 'a@x.io' }), member({ email: 'b@x.io' })]);

    await expect(sut.list(admin, { limit: 1 })).resolves.toMatchObject({ nextCursor: 'a@x.io' });
    expect(users.listMembers).toHaveBeenCalledWith(TENANT, { limit: 2, after: undefined });
  });
});
