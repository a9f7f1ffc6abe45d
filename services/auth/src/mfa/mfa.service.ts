import { Inject, Injectable } from '@nestjs/common';
import { asTenantId } from '@optralis/db';

import { decryptSecret, encryptSecret } from '@optralis/service-kit';
import { MASTER_KEY } from '../keys/master-key';
import type { Actor } from '../shared/actor';
import { AuditTrail } from '../shared/audit.trail';
import { AuthError, CommonErrorCode } from '../shared/auth-error';
import { PasswordHasher } from '../shared/password.hasher';
import { sha256 } from '../shared/secrets';
import { LOCKOUT } from '../users/credentials.service';
import { UsersErrorCode } from '../users/users.errors';
import { type MemberRecord, type UserRecord, UsersRepository } from '../users/users.repository';
import { MfaErrorCode } from './mfa.errors';
import { type MfaSecretRecord, MfaRepository } from './mfa.repository';
import { matchingStep, newRecoveryCode, newTotpSecret, normalizeRecoveryCode, otpauthUri } from './totp';

export const RECOVERY_CODE_COUNT = 10;

export type SecondFactor = { code: string } | { recoveryCode: string };
type Step = 'confirm' | 'login' | 'disable';

/** A user's TOTP factor: enrol, confirm, prove at login, disable. The secret is sealed like signing keys. */
@Injectable()
export class MfaService {
  constructor(
    private readonly repository: MfaRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    @Inject(MASTER_KEY) private readonly masterKey: Buffer,
  ) {}

  /** The caller as a member of their tenant (the gateway-filled actor names both). */
  async memberOf(actor: Actor): Promise<MemberRecord> {
    const member = await this.users.member(asTenantId(actor.tenantId), actor.userId);
    if (!member || member.status !== 'active') throw new AuthError(CommonErrorCode.NotFound, 'no such user');
    return member;
  }

  /** A new pending secret (replacing an unconfirmed one); MFA stays off until `confirm`. */
  async enroll(tenantId: string, user: UserRecord): Promise<{ secret: string; otpauthUri: string }> {
    const secret = newTotpSecret();
    if (user.mfaEnabled || !(await this.repository.savePending(user.id, this.seal(user.id, secret)))) {
      throw new AuthError(MfaErrorCode.AlreadyEnabled, 'MFA is already enabled: disable it first');
    }
    await this.record(tenantId, user, 'mfa.enrolled');
    return { secret, otpauthUri: otpauthUri(secret, user.email) };
  }

  /** Turns MFA on with a first code; answers the recovery codes, which are shown this once. */
  async confirm(tenantId: string, user: UserRecord, code: string): Promise<string[]> {
    const stored = await this.repository.findSecret(user.id);
    if (!stored) throw new AuthError(MfaErrorCode.NotEnrolled, 'enroll first');
    if (stored.confirmedAt) throw new AuthError(MfaErrorCode.AlreadyEnabled, 'MFA is already enabled');
    await this.requireCode({ tenantId, user, stored, code, step: 'confirm' });
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const hashes = codes.map((recovery) => sha256(normalizeRecoveryCode(recovery)));
    if (!(await this.repository.enable(user.id, hashes))) {
      throw new AuthError(MfaErrorCode.AlreadyEnabled, 'MFA is already enabled');
    }
    await this.record(tenantId, user, 'mfa.enabled');
    return codes;
  }

  /** The second login step: a TOTP code, or a recovery code that is then used up. */
  async prove(tenantId: string, user: UserRecord, factor: SecondFactor): Promise<'totp' | 'recovery_code'> {
    const stored = await this.enabledSecret(user);
    if ('code' in factor) {
      await this.requireCode({ tenantId, user, stored, code: factor.code, step: 'login' });
      return 'totp';
    }
    this.requireUnlocked(stored);
    const hash = sha256(normalizeRecoveryCode(factor.recoveryCode));
    if (!(await this.repository.useRecoveryCode(user.id, hash))) {
      await this.failed({ tenantId, user, step: 'login', reason: 'wrong_recovery_code' });
      throw this.invalidCode();
    }
    await this.repository.resetFailures(user.id);
    const remaining = await this.repository.remainingRecoveryCodes(user.id);
    await this.record(tenantId, user, 'mfa.recovery_code_used', { remaining });
    return 'recovery_code';
  }

  /** Turns MFA off; the caller proves it is them with a current code or their password. */
  async disable(tenantId: string, user: UserRecord, proof: { code: string } | { password: string }) {
    const stored = await this.enabledSecret(user);
    if ('code' in proof) {
      await this.requireCode({ tenantId, user, stored, code: proof.code, step: 'disable' });
    } else {
      this.requireUnlocked(stored);
      if (!user.passwordHash || !(await this.hasher.verify(user.passwordHash, proof.password))) {
        await this.failed({ tenantId, user, step: 'disable', reason: 'wrong_password' });
        throw new AuthError(UsersErrorCode.InvalidCredentials, 'the password is wrong');
      }
    }
    await this.repository.disable(user.id);
    await this.record(tenantId, user, 'mfa.disabled', { proof: 'code' in proof ? 'totp' : 'password' });
    return { done: true as const };
  }

  private async enabledSecret(user: UserRecord): Promise<MfaSecretRecord> {
    const stored = user.mfaEnabled ? await this.repository.findSecret(user.id) : undefined;
    if (!stored?.confirmedAt) throw new AuthError(MfaErrorCode.NotEnrolled, 'MFA is not enabled');
    return stored;
  }

  /** A code of now ±1 step, newer than the last accepted one (a code is good once). */
  private async requireCode(input: {
    tenantId: string;
    user: UserRecord;
    stored: MfaSecretRecord;
    code: string;
    step: Step;
  }): Promise<void> {
    const { user, stored } = input;
    this.requireUnlocked(stored);
    const secret = decryptSecret(stored.sealedSecret, this.masterKey, this.associated(user.id));
    const timeStep = await matchingStep(secret, input.code);
    if (timeStep === undefined) {
      await this.failed({ ...input, reason: 'wrong_code' });
      throw this.invalidCode();
    }
    if (!(await this.repository.acceptStep(user.id, timeStep))) {
      await this.failed({ ...input, reason: 'replayed_code' });
      throw this.invalidCode();
    }
    await this.repository.resetFailures(user.id);
  }

  private requireUnlocked(stored: MfaSecretRecord): void {
    if (stored.lockedUntil && stored.lockedUntil.getTime() > Date.now()) {
      throw new AuthError(MfaErrorCode.RateLimited, 'too many wrong codes: try again later');
    }
  }

  private async failed(input: { tenantId: string; user: UserRecord; step: Step; reason: string }) {
    await this.repository.recordFailure(input.user.id, LOCKOUT);
    await this.record(
      input.tenantId,
      input.user,
      'mfa.failed',
      { step: input.step, reason: input.reason },
      'failure',
    );
  }

  private invalidCode(): AuthError {
    return new AuthError(MfaErrorCode.InvalidCode, 'the code is not valid');
  }

  private seal(userId: string, secret: string): string {
    return encryptSecret(secret, this.masterKey, this.associated(userId));
  }

  /** Binds the ciphertext to its user: a sealed secret copied to another row does not open. */
  private associated(userId: string): string {
    return `mfa:${userId}`;
  }

  private record(
    tenantId: string,
    user: UserRecord,
    action: string,
    data: Record<string, unknown> = {},
    outcome: 'success' | 'failure' = 'success',
  ): Promise<void> {
    return this.audit.record({
      tenantId,
      actor: { type: 'user', id: user.id, name: user.email },
      action,
      outcome,
      target: { type: 'user', id: user.id },
      data,
    });
  }
}
