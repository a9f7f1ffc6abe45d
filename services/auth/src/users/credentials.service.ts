import { Injectable } from '@nestjs/common';

import { AuditTrail, PLATFORM_AUDIT_TENANT } from '../shared/audit.trail';
import { AuthError } from '../shared/auth-error';
import { PasswordHasher } from '../shared/password.hasher';
import { UsersErrorCode } from './users.errors';
import { type UserRecord, UsersRepository } from './users.repository';

const NIL_USER = '00000000-0000-0000-0000-000000000000';
export const LOCKOUT = { after: 5, maxMinutes: 24 * 60 } as const;

/**
 * Checks an email and password. Every refusal (unknown email, wrong password, locked, disabled) costs
 * one argon2 verify and ends in the same `invalid_credentials`, so none can be told apart.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
  ) {}

  async verify(email: string, password: string, context: { tenantId?: string } = {}): Promise<UserRecord> {
    const user = await this.users.findByEmail(email);
    if (!user?.passwordHash) {
      // Same queries and the same argon2 cost as a known email.
      const tenantId = await this.auditTenant(NIL_USER, context.tenantId);
      await this.hasher.verifyDummy(password);
      await this.failed({ tenantId, email, reason: 'unknown_email' });
      throw this.refusal();
    }
    const tenantId = await this.auditTenant(user.id, context.tenantId);
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      await this.hasher.verifyDummy(password);
      await this.failed({ tenantId, email, userId: user.id, reason: 'locked' });
      throw this.refusal();
    }
    const matches = await this.hasher.verify(user.passwordHash, password);
    if (!matches) {
      const counted = await this.users.recordFailure(user.id, LOCKOUT);
      await this.failed({ tenantId, email, userId: user.id, reason: 'wrong_password' });
      if (counted.failedLoginCount >= LOCKOUT.after && counted.lockedUntil) {
        await this.audit.record({
          tenantId,
          actor: { type: 'system', id: 'auth' },
          action: 'user.locked',
          target: { type: 'user', id: user.id },
          data: { failures: counted.failedLoginCount, lockedUntil: counted.lockedUntil.toISOString() },
        });
      }
      throw this.refusal();
    }
    if (user.status !== 'active') {
      await this.failed({ tenantId, email, userId: user.id, reason: 'disabled' });
      throw this.refusal();
    }
    await this.users.resetFailures(user.id);
    return user;
  }

  private refusal(): AuthError {
    return new AuthError(UsersErrorCode.InvalidCredentials, 'email or password is wrong');
  }

  private async auditTenant(userId: string, requested: string | undefined): Promise<string> {
    const memberships = await this.users.memberships(userId);
    const match = memberships.find((membership) => membership.tenantId === requested) ?? memberships[0];
    return match?.tenantId ?? PLATFORM_AUDIT_TENANT;
  }

  private failed(input: { tenantId: string; email: string; userId?: string; reason: string }): Promise<void> {
    return this.audit.record({
      tenantId: input.tenantId,
      actor: input.userId
        ? { type: 'user', id: input.userId, name: input.email }
        : { type: 'system', id: 'anonymous' },
      action: 'login.failed',
      outcome: 'failure',
      data: { email: input.email, reason: input.reason },
    });
  }
}
