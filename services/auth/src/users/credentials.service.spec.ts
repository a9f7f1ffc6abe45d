import { strictMock } from '@optralis/testing/vitest';
import type { AuditTrail } from '../shared/audit.trail';
import type { PasswordHasher } from '../shared/password.hasher';
import { CredentialsService, LOCKOUT } from './credentials.service';
import type { UserRecord, UsersRepository } from './users.repository';

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    email: 'ops@example.com',
    passwordHash: '$argon2id$hash',
    status: 'active',
    mustChangePassword: false,
    passwordSetAt: new Date(),
    failedLoginCount: 0,
    lockedUntil: null,
    mfaEnabled: false,
    createdAt: new Date(),
    ...overrides,
  };
}

describe(CredentialsService.name, () => {
  function setup() {
    const users = strictMock<UsersRepository>([
      'findByEmail',
      'memberships',
      'recordFailure',
      'resetFailures',
    ]);
    const hasher = strictMock<PasswordHasher>(['verify', 'verifyDummy']);
    const audit = strictMock<AuditTrail>(['record']);
    audit.record.mockResolvedValue(undefined);
    users.memberships.mockResolvedValue([]);
    return { sut: new CredentialsService(users, hasher, audit), users, hasher, audit };
  }

  it('should spend a dummy verify and answer invalid_credentials when the email is unknown', async () => {
    const { sut, users, hasher } = setup();
    users.findByEmail.mockResolvedValue(undefined);
    hasher.verifyDummy.mockResolvedValue(false);

    await expect(sut.verify('nobody@example.com', 'whatever-it-is')).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'email or password is wrong',
    });
    expect(hasher.verifyDummy).toHaveBeenCalledWith('whatever-it-is');
  });

  it('should count the failure and answer the same error when the password is wrong', async () => {
    const { sut, users, hasher } = setup();
    users.findByEmail.mockResolvedValue(user());
    hasher.verify.mockResolvedValue(false);
    users.recordFailure.mockResolvedValue({ failedLoginCount: 1, lockedUntil: null });

    await expect(sut.verify('ops@example.com', 'wrong-password')).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'email or password is wrong',
    });
    expect(users.recordFailure).toHaveBeenCalledWith(user().id, LOCKOUT);
  });

  it('should audit a lockout when the fifth failure locks the account', async () => {
    const { sut, users, hasher, audit } = setup();
    users.findByEmail.mockResolvedValue(user({ failedLoginCount: 4 }));
    hasher.verify.mockResolvedValue(false);
    users.recordFailure.mockResolvedValue({
      failedLoginCount: 5,
      lockedUntil: new Date(Date.now() + 60_000),
    });

    await expect(sut.verify('ops@example.com', 'wrong-password')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ action: 'user.locked' }));
  });

  it('should not even check the password when the account is locked', async () => {
    const { sut, users, hasher } = setup();
    users.findByEmail.mockResolvedValue(user({ lockedUntil: new Date(Date.now() + 60_000) }));
    hasher.verifyDummy.mockResolvedValue(false);

    await expect(sut.verify('ops@example.com', 'the-right-one')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(hasher.verify).not.toHaveBeenCalled();
  });

  it('should reset the counter and return the user when the password is right', async () => {
    const { sut, users, hasher } = setup();
    users.findByEmail.mockResolvedValue(user({ failedLoginCount: 2 }));
    hasher.verify.mockResolvedValue(true);
    users.resetFailures.mockResolvedValue(undefined);

    await expect(sut.verify('ops@example.com', 'the-right-one')).resolves.toMatchObject({ id: user().id });
    expect(users.resetFailures).toHaveBeenCalledWith(user().id);
  });

  it('should refuse a disabled user with the same error when the password is right', async () => {
    const { sut, users, hasher } = setup();
    users.findByEmail.mockResolvedValue(user({ status: 'disabled' }));
    hasher.verify.mockResolvedValue(true);

    await expect(sut.verify('ops@example.com', 'the-right-one')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });
});
