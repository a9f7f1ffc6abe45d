import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { SSO_ROLES } from '@optralis/contracts';

import { SessionsService, type TokenPair } from '../sessions/sessions.service';
import { atLeast, type Role } from '../shared/actor';
import { AuditTrail } from '../shared/audit.trail';
import { AuthError } from '../shared/auth-error';
import { TenantsRepository } from '../tenants/tenants.repository';
import { type UserRecord, UsersRepository } from '../users/users.repository';
import type { SsoProviderRecord } from './providers/sso-providers.repository';
import { SsoErrorCode } from './sso.errors';

type SsoRole = (typeof SSO_ROLES)[number];

/** What an identity provider vouched for, after its signature was checked. */
export interface SsoIdentity {
  subject: string;
  email?: string;
  emailVerified: boolean;
  roleValues: string[];
}

export interface RolePolicy {
  roleMap: Record<string, SsoRole>;
  defaultRole: SsoRole | null;
  allowedDomains: string[];
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** The common end of OIDC and SAML logins: policy checks, just-in-time provisioning, the session. */
@Injectable()
export class SsoLoginService {
  private readonly logger = new Logger(SsoLoginService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditTrail,
  ) {}

  async signIn(provider: SsoProviderRecord, policy: RolePolicy, identity: SsoIdentity): Promise<TokenPair> {
    const email = identity.email?.trim().toLowerCase();
    if (!email || !EMAIL.test(email)) throw new AuthError(SsoErrorCode.EmailMissing, 'the IdP sent no email');
    if (!identity.emailVerified) {
      throw new AuthError(SsoErrorCode.EmailUnverified, 'the IdP has not verified this email');
    }
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (policy.allowedDomains.length > 0 && !policy.allowedDomains.includes(domain)) {
      throw new AuthError(SsoErrorCode.DomainNotAllowed, `email domain ${domain} is not allowed here`);
    }
    const role = mapRole(policy, identity.roleValues);
    const tenant = (await this.tenants.findById(provider.tenantId))!;
    const user = await this.findOrCreate(email, provider);
    if (user.status !== 'active') throw new AuthError(SsoErrorCode.UserDisabled, 'this account is disabled');
    const granted = await this.syncMembership(provider, user, role);
    const pair = await this.sessions.openSession(user, tenant, granted);
    await this.audit.record({
      tenantId: tenant.id,
      actor: { type: 'user', id: user.id, name: user.email },
      action: 'login.succeeded',
      target: { type: 'user', id: user.id },
      data: {
        method: provider.type,
        providerId: provider.id,
        subject: identity.subject,
        sessionId: pair.sessionId,
      },
    });
    return pair;
  }

  /** Audits a refused SSO login; the caller rethrows the error. */
  async refused(provider: SsoProviderRecord, error: AuthError): Promise<void> {
    this.logger.warn(
      { providerId: provider.id, code: error.code, reason: error.message },
      'SSO login refused',
    );
    await this.audit.record({
      tenantId: provider.tenantId,
      actor: { type: 'system', id: `sso:${provider.id}` },
      action: 'login.failed',
      outcome: 'failure',
      target: { type: 'sso_provider', id: provider.id },
      data: { method: provider.type, code: error.code, reason: error.message },
    });
  }

  private async findOrCreate(email: string, provider: SsoProviderRecord): Promise<UserRecord> {
    const existing = await this.users.findByEmail(email);
    if (existing) return existing;
    const created = await this.users.create({
      id: randomUUID(),
      email,
      passwordHash: null,
      mustChangePassword: false,
    });
    if (!created) return (await this.users.findByEmail(email))!; // created concurrently by another login
    await this.audit.record({
      tenantId: provider.tenantId,
      actor: { type: 'system', id: `sso:${provider.id}` },
      action: 'user.created',
      target: { type: 'user', id: created.id },
      data: { email, via: provider.type },
    });
    return created;
  }

  /** The IdP decides the role at every login; an owner stays owner (owners come from invitations only). */
  private async syncMembership(provider: SsoProviderRecord, user: UserRecord, role: SsoRole): Promise<Role> {
    const member = await this.users.member(provider.tenantId, user.id);
    if (!member) {
      if (await this.users.addMembership(provider.tenantId, user.id, role)) return role;
      return (await this.users.member(provider.tenantId, user.id))!.role;
    }
    if (member.role === 'owner' || member.role === role) return member.role;
    await this.users.setRole(provider.tenantId, user.id, role);
    await this.audit.record({
      tenantId: provider.tenantId,
      actor: { type: 'system', id: `sso:${provider.id}` },
      action: 'user.role_changed',
      target: { type: 'user', id: user.id },
      data: { from: member.role, to: role, via: provider.type },
    });
    return role;
  }
}

/** The highest role any claim value maps to, else the default; null default refuses. */
export function mapRole(policy: Pick<RolePolicy, 'roleMap' | 'defaultRole'>, values: string[]): SsoRole {
  let best: SsoRole | undefined;
  for (const value of values) {
    const mapped = Object.prototype.hasOwnProperty.call(policy.roleMap, value)
      ? policy.roleMap[value]
      : undefined;
    if (mapped && (!best || atLeast(mapped, best))) best = mapped;
  }
  const role = best ?? policy.defaultRole;
  if (!role) throw new AuthError(SsoErrorCode.RoleUnmapped, 'no role is mapped for this user');
  return role;
}

/** A claim or attribute as a list of strings, whatever shape the IdP used. */
export function claimValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list
    .filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
    .map(String);
}
