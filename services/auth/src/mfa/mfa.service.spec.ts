import { randomBytes } from 'node:crypto';

import { generate } from 'otplib';

import { strictMock } from '@optralis/testing/vitest';
import { decryptSecret, encryptSecret } from '@optralis/service-kit';
import type { AuditTrail } from '../shared/audit.trail';
import type { PasswordHasher } from '../shared/password.hasher';
import { sha256 } from '../shared/secrets';
import type { UserRecord, UsersRepository } from '../users/users.repository';
import type { MfaRepository, MfaSecretRecord } from './mfa.repository';
import { MfaService } from './mfa.service';

const TENANT = '22222222-2222-4222-8222-222222222222';
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const masterKey = randomBytes(32);

function userFactory(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    email: 'ops@example.com',
    passwordHash: 'h',
    status: 'active',
    mustChangePassword: false,
    passwordSetAt: new Date(),
    failedLoginCount: 0,
    lockedUntil: null,
    mfaEnabled: true,
    createdAt: new Date(),
    ...overrides,
  };
}

function secretFactory(overrides: Partial<MfaSecretRecord> = {}): MfaSecretRecord {
  const userId = userFactory().id;
  return {
    userId,
    sealedSecret: encryptSecret(SECRET, masterKey, `mfa:${userId}`),
    confirmedAt: new Date(),
    lastUsedStep: null,
    lockedUntil: null,
    ...overrides,
  };
}

describe(MfaService.name, () => {
  function setup() {
    const repository = strictMock<MfaRepository>([
      'findSecret',
      'savePending',
      'acceptStep',
      'enable',
      'disable',
      'useRecoveryCode',
      'remainingRecoveryCodes',
      'recordFailure',
      'resetFailures',
    ]);
    const users = strictMock<UsersRepository>(['member']);
    const hasher = strictMock<PasswordHasher>(['verify']);
    const audit = strictMock<AuditTrail>(['record']);
    audit.record.mockResolvedValue(undefined);
    const sut = new MfaService(repository, users, hasher, audit, masterKey);
    return { sut, repository, users, hasher, audit };
  }

  it('should seal the secret to the user and return an otpauth URI when a user enrols', async () => {
    const { sut, repository, audit } = setup();
    repository.savePending.mockResolvedValue(true);
    const user = userFactory({ mfaEnabled: false });

    const enrollment = await sut.enroll(TENANT, user);

    const sealed = repository.savePending.mock.calls[0][1] as string;
    expect(decryptSecret(sealed, masterKey, `mfa:${user.id}`)).toBe(enrollment.secret);
    expect(() => decryptSecret(sealed, masterKey, 'mfa:someone-else')).toThrow();
    expect(enrollment.otpauthUri).toContain('issuer=Optralis');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ action: 'mfa.enrolled' }));
  });

  it('should answer mfa_already_enabled without storing anything when MFA is on', async () => {
    const { sut } = setup();
    await expect(sut.enroll(TENANT, userFactory())).rejects.toMatchObject({ code: 'mfa_already_enabled' });
  });

  it('should store ten hashed recovery codes when the first code confirms the secret', async () => {
    const { sut, repository } = setup();
    repository.findSecret.mockResolvedValue(secretFactory({ confirmedAt: null }));
    repository.acceptStep.mockResolvedValue(true);
    repository.resetFailures.mockResolvedValue(undefined);
    repository.enable.mockResolvedValue(true);

    const codes = await sut.confirm(
      TENANT,
      userFactory({ mfaEnabled: false }),
      await generate({ secret: SECRET }),
    );

    expect(codes).toHaveLength(10);
    expect(repository.enable).toHaveBeenCalledWith(
      userFactory().id,
      codes.map((code) => sha256(code.replace('-', ''))),
    );
  });

  it('should count a failure and audit it when the code of an accepted step comes again', async () => {
    const { sut, repository, audit } = setup();
    repository.findSecret.mockResolvedValue(secretFactory());
    repository.acceptStep.mockResolvedValue(false);
    repository.recordFailure.mockResolvedValue(undefined);

    await expect(
      sut.prove(TENANT, userFactory(), { code: await generate({ secret: SECRET }) }),
    ).rejects.toMatchObject({
      code: 'mfa_invalid_code',
    });
    expect(repository.recordFailure).toHaveBeenCalledWith(
      userFactory().id,
      expect.objectContaining({ after: 5 }),
    );
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'mfa.failed',
        outcome: 'failure',
        data: { step: 'login', reason: 'replayed_code' },
      }),
    );
  });

  it('should answer rate_limited without checking the code when the factor is locked', async () => {
    const { sut, repository } = setup();
    repository.findSecret.mockResolvedValue(secretFactory({ lockedUntil: new Date(Date.now() + 60_000) }));

    await expect(sut.prove(TENANT, userFactory(), { code: '123456' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('should use the recovery code up and audit how many are left when it is given at login', async () => {
    const { sut, repository, audit } = setup();
    repository.findSecret.mockResolvedValue(secretFactory());
    repository.useRecoveryCode.mockResolvedValue(true);
    repository.resetFailures.mockResolvedValue(undefined);
    repository.remainingRecoveryCodes.mockResolvedValue(9);

    await expect(sut.prove(TENANT, userFactory(), { recoveryCode: 'ABCDE FGHJK' })).resolves.toBe(
      'recovery_code',
    );
    expect(repository.useRecoveryCode).toHaveBeenCalledWith(userFactory().id, sha256('abcdefghjk'));
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'mfa.recovery_code_used', data: { remaining: 9 } }),
    );
  });

  it('should answer mfa_not_enrolled when a user without MFA tries to disable it', async () => {
    const { sut } = setup();
    await expect(
      sut.disable(TENANT, userFactory({ mfaEnabled: false }), { password: 'x' }),
    ).rejects.toMatchObject({
      code: 'mfa_not_enrolled',
    });
  });

  it('should keep MFA on and count a failure when the password to disable it is wrong', async () => {
    const { sut, repository, hasher } = setup();
    repository.findSecret.mockResolvedValue(secretFactory());
    hasher.verify.mockResolvedValue(false);
    repository.recordFailure.mockResolvedValue(undefined);

    await expect(sut.disable(TENANT, userFactory(), { password: 'wrong' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(repository.disable).not.toHaveBeenCalled();
  });
});
