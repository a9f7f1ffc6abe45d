import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { asTenantId } from '@optralis/db';

import { KeysService } from '../keys/keys.service';
import { type Actor, atLeast, type Role } from '../shared/actor';
import { AuditTrail } from '../shared/audit.trail';
import { AUTH_CONFIG, type AuthConfig } from '../shared/auth-config';
import { AuthError, CommonErrorCode } from '../shared/auth-error';
import { signMfaToken } from '../shared/mfa-token';
import { randomToken, sha256 } from '../shared/secrets';
import type { TenantRecord } from '../tenants/tenants.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { CredentialsService } from '../users/credentials.service';
import { type UserRecord, UsersRepository } from '../users/users.repository';
import { SessionsErrorCode } from './sessions.errors';
import { type SessionRecord, SessionsRepository } from './sessions.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  sessionId: string;
  tenant: { id: string; slug: string; name: string };
  user: { id: string; email: string; role: Role };
}

export type LoginResult =
  | TokenPair
  | { mfaRequired: true; mfaToken: string }
  | { mfaEnrollmentRequired: true; mfaToken: string }
  | { passwordExpired: true };

type SessionProof = { refreshToken: string } | { actor: Actor };

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly credentials: CredentialsService,
    private readonly keys: KeysService,
    private readonly audit: AuditTrail,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async login(input: { email: string; password: string; tenantId?: string }): Promise<LoginResult> {
    const user = await this.credentials.verify(input.email, input.password, { tenantId: input.tenantId });
    const { tenant, role } = await this.pickTenant(user, input.tenantId);
    if (this.passwordExpired(user, tenant)) {
      await this.record(tenant.id, user, 'login.password_expired', 'failure');
      return { passwordExpired: true };
    }
    if (user.mfaEnabled) {
      const mfaToken = await signMfaToken(this.keys, this.config, {
        userId: user.id,
        tenantId: tenant.id,
        purpose: 'mfa',
      });
      return { mfaRequired: true, mfaToken };
    }
    if (tenant.settings.mfaRequiredForAdmins && atLeast(role, 'admin')) {
      const mfaToken = await signMfaToken(this.keys, this.config, {
        userId: user.id,
        tenantId: tenant.id,
        purpose: 'mfa_enroll',
      });
      return { mfaEnrollmentRequired: true, mfaToken };
    }
    const pair = await this.openSession(user, tenant, role);
    await this.record(tenant.id, user, 'login.succeeded', 'success', { sessionId: pair.sessionId });
    return pair;
  }

  /** A new access token and a new refresh token; the presented one can never be used again. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const oldHash = sha256(refreshToken);
    const session = await this.liveSessionOf(refreshToken);
    const member = await this.users.member(session.tenantId, session.userId);
    if (!member || member.status !== 'active') {
      await this.sessions.revoke(session.id, 'membership gone');
      throw this.invalid();
    }
    const next = randomToken();
    if (!(await this.sessions.rotate(session.id, oldHash, sha256(next)))) {
      await this.revokeForReuse(session);
      throw this.invalid();
    }
    const tenant = (await this.tenants.findById(session.tenantId))!;
    return this.pair({ user: member, tenant, role: member.role, sessionId: session.id, refreshToken: next });
  }

  async logout(proof: SessionProof): Promise<{ done: true }> {
    const session = await this.sessionOf(proof).catch(() => undefined);
    if (session && (await this.sessions.revoke(session.id, 'logout'))) {
      await this.audit.record({
        tenantId: session.tenantId,
        actor: { type: 'user', id: session.userId },
        action: 'session.ended',
        target: { type: 'session', id: session.id },
      });
    }
    return { done: true };
  }

  /** Ends the current session and opens one in another tenant of the same user. */
  async switchTenant(proof: SessionProof, tenantId: string): Promise<TokenPair> {
    const session = await this.sessionOf(proof);
    const target = await this.users.member(asTenantId(tenantId), session.userId);
    if (!target || target.status !== 'active') {
      throw new AuthError(CommonErrorCode.NotFound, 'no such tenant for this user');
    }
    const tenant = (await this.tenants.findById(asTenantId(tenantId)))!;
    await this.sessions.revoke(session.id, 'switched tenant');
    const pair = await this.openSession(target, tenant, target.role);
    await this.record(tenant.id, target, 'session.switched_tenant', 'success', { from: session.tenantId });
    return pair;
  }

  private async sessionOf(proof: SessionProof): Promise<SessionRecord> {
    if ('refreshToken' in proof) return this.liveSessionOf(proof.refreshToken);
    const session = await this.sessions.findSession(proof.actor.sessionId!);
    if (!session || session.userId !== proof.actor.userId || !this.isLive(session)) throw this.invalid();
    return session;
  }

  /** The session of a refresh token; a token that was rotated already revokes its whole family. */
  private async liveSessionOf(refreshToken: string): Promise<SessionRecord> {
    const found = await this.sessions.findRefresh(sha256(refreshToken));
    if (!found) throw this.invalid();
    if (found.rotatedAt) {
      await this.revokeForReuse(found.session);
      throw this.invalid();
    }
    if (!this.isLive(found.session)) throw this.invalid();
    return found.session;
  }

  private isLive(session: SessionRecord): boolean {
    return !session.revokedAt && session.expiresAt.getTime() > Date.now();
  }

  private async revokeForReuse(session: SessionRecord): Promise<void> {
    if (!(await this.sessions.revoke(session.id, 'refresh token reuse'))) return;
    await this.audit.record({
      tenantId: session.tenantId,
      actor: { type: 'system', id: 'auth' },
      action: 'session.revoked',
      outcome: 'failure',
      target: { type: 'session', id: session.id },
      data: { reason: 'refresh token reuse', userId: session.userId },
    });
  }

  private async pickTenant(
    user: UserRecord,
    tenantId?: string,
  ): Promise<{ tenant: TenantRecord; role: Role }> {
    const memberships = await this.users.memberships(user.id);
    const chosen = tenantId
      ? memberships.find((membership) => membership.tenantId === tenantId)
      : memberships.length === 1
        ? memberships[0]
        : undefined;
    if (!chosen) {
      if (memberships.length === 0) throw new AuthError('invalid_credentials', 'email or password is wrong');
      throw new AuthError(SessionsErrorCode.TenantSelectionRequired, 'choose one of your tenants', {
        tenants: memberships.map(({ tenantId: id, slug, name, role }) => ({ id, slug, name, role })),
      });
    }
    return { tenant: (await this.tenants.findById(chosen.tenantId))!, role: chosen.role };
  }

  private passwordExpired(user: UserRecord, tenant: TenantRecord): boolean {
    if (user.mustChangePassword) return true;
    const days = tenant.settings.passwordExpiryDays;
    if (!days || !user.passwordSetAt) return false;
    return user.passwordSetAt.getTime() + days * 86_400_000 < Date.now();
  }

  /** Starts a session for a user already proven by a password, MFA or an SSO provider. */
  async openSession(user: UserRecord, tenant: TenantRecord, role: Role): Promise<TokenPair> {
    const sessionId = randomUUID();
    const refreshToken = randomToken();
    await this.sessions.create(tenant.id, {
      id: sessionId,
      userId: user.id,
      expiresAt: new Date(Date.now() + this.config.AUTH_REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      refreshHash: sha256(refreshToken),
    });
    return this.pair({ user, tenant, role, sessionId, refreshToken });
  }

  private async pair(input: {
    user: UserRecord;
    tenant: TenantRecord;
    role: Role;
    sessionId: string;
    refreshToken: string;
  }): Promise<TokenPair> {
    const ttlSeconds = this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
    const { token } = await this.keys.sign({
      subject: input.user.id,
      claims: { tenant: input.tenant.id, role: input.role, sid: input.sessionId },
      ttlSeconds,
    });
    return {
      accessToken: token,
      refreshToken: input.refreshToken,
      tokenType: 'Bearer',
      expiresIn: ttlSeconds,
      sessionId: input.sessionId,
      tenant: { id: input.tenant.id, slug: input.tenant.slug, name: input.tenant.name },
      user: { id: input.user.id, email: input.user.email, role: input.role },
    };
  }

  private invalid(): AuthError {
    return new AuthError(SessionsErrorCode.TokenInvalid, 'the session token is not valid');
  }

  private record(
    tenantId: string,
    user: UserRecord,
    action: string,
    outcome: 'success' | 'failure',
    data: Record<string, unknown> = {},
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
