import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { asTenantId, type TenantId } from '@optralis/db';

import { type Actor, requireRole, type Role } from '../shared/actor';
import { AuditTrail } from '../shared/audit.trail';
import { AuthError, CommonErrorCode } from '../shared/auth-error';
import { PasswordHasher } from '../shared/password.hasher';
import { generatedPassword, sha256 } from '../shared/secrets';
import { TenantsRepository } from '../tenants/tenants.repository';
import { CredentialsService } from './credentials.service';
import { passwordProblem } from './password.policy';
import { UsersErrorCode } from './users.errors';
import { type MemberRecord, UsersRepository } from './users.repository';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  status: 'active' | 'disabled';
  mfaEnabled: boolean;
  passwordSetAt: string | null;
  createdAt: string;
}

export function userView(member: MemberRecord): UserView {
  return {
    id: member.id,
    email: member.email,
    role: member.role,
    status: member.status,
    mfaEnabled: member.mfaEnabled,
    passwordSetAt: member.passwordSetAt?.toISOString() ?? null,
    createdAt: member.createdAt.toISOString(),
  };
}

/** User management inside the caller's tenant; a user of another tenant is simply not found. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly credentials: CredentialsService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
  ) {}

  async list(actor: Actor, page: { limit: number; cursor?: string }) {
    requireRole(actor, 'admin');
    const members = await this.users.listMembers(asTenantId(actor.tenantId), {
      limit: page.limit + 1,
      after: page.cursor,
    });
    const items = members.slice(0, page.limit).map(userView);
    return { items, nextCursor: members.length > page.limit ? items[items.length - 1].email : null };
  }

  async get(actor: Actor, userId: string): Promise<UserView> {
    if (actor.userId !== userId) requireRole(actor, 'admin');
    return userView(await this.member(actor, userId));
  }

  /** A new user gets the given password or a one-time one; a known email just joins the tenant. */
  async create(actor: Actor, input: { email: string; role: Role; password?: string }) {
    requireRole(actor, 'admin');
    this.requireMayGrant(actor, input.role);
    const tenantId = asTenantId(actor.tenantId);
    let temporaryPassword: string | null = null;
    let user = await this.users.findByEmail(input.email);
    if (!user) {
      if (input.password) await this.checkPolicy(input.password, input.email, tenantId);
      else temporaryPassword = generatedPassword();
      user = await this.users.create({
        id: randomUUID(),
        email: input.email,
        passwordHash: await this.hasher.hash(input.password ?? temporaryPassword!),
        mustChangePassword: temporaryPassword !== null,
      });
      if (!user) throw new AuthError(CommonErrorCode.Conflict, 'a user with this email was just created');
    }
    if (!(await this.users.addMembership(tenantId, user.id, input.role))) {
      throw new AuthError(CommonErrorCode.Conflict, 'this user already belongs to the tenant');
    }
    await this.record(actor, 'user.created', user.id, { email: input.email, role: input.role });
    return { user: userView(await this.member(actor, user.id)), temporaryPassword };
  }

  async update(actor: Actor, userId: string, change: { role?: Role; status?: 'active' | 'disabled' }) {
    requireRole(actor, 'admin');
    const tenantId = asTenantId(actor.tenantId);
    const target = await this.member(actor, userId);
    if (change.role && change.role !== target.role) {
      this.requireMayGrant(actor, target.role);
      this.requireMayGrant(actor, change.role);
      if (target.role === 'owner') await this.requireAnotherOwner(tenantId);
      await this.users.setRole(tenantId, userId, change.role);
      await this.record(actor, 'user.role_changed', userId, { from: target.role, to: change.role });
    }
    if (change.status && change.status !== target.status) {
      this.requireMayGrant(actor, target.role);
      if ((await this.users.memberships(userId)).length > 1) {
        throw new AuthError(CommonErrorCode.Forbidden, 'this user belongs to other tenants too');
      }
      await this.users.setStatus(userId, change.status);
      if (change.status === 'disabled') await this.users.revokeSessions(userId, 'user disabled');
      await this.record(actor, 'user.status_changed', userId, { to: change.status });
    }
    return userView(await this.member(actor, userId));
  }

  async delete(actor: Actor, userId: string): Promise<{ done: true }> {
    requireRole(actor, 'admin');
    const tenantId = asTenantId(actor.tenantId);
    const target = await this.member(actor, userId);
    this.requireMayGrant(actor, target.role);
    if (target.role === 'owner') await this.requireAnotherOwner(tenantId);
    await this.users.removeMember(tenantId, userId);
    await this.record(actor, 'user.deleted', userId, { email: target.email });
    return { done: true };
  }

  /** An admin gives the user a one-time password; every session of that user ends. */
  async resetPassword(actor: Actor, userId: string) {
    requireRole(actor, 'admin');
    const target = await this.member(actor, userId);
    this.requireMayGrant(actor, target.role);
    const temporaryPassword = generatedPassword();
    await this.users.setPassword(userId, await this.hasher.hash(temporaryPassword), true);
    await this.users.revokeSessions(userId, 'password reset');
    await this.record(actor, 'user.password_reset', userId, {});
    return { temporaryPassword, mustChange: true as const };
  }

  /** The current password is the proof, so an expired or one-time password can be changed too. */
  async changePassword(input: { email: string; currentPassword: string; newPassword: string }) {
    const user = await this.credentials.verify(input.email, input.currentPassword);
    const memberships = await this.users.memberships(user.id);
    for (const membership of memberships) {
      await this.checkPolicy(input.newPassword, user.email, membership.tenantId, membership.slug);
    }
    if (memberships.length === 0) await this.checkPolicy(input.newPassword, user.email);
    if (await this.hasher.verify(user.passwordHash!, input.newPassword)) {
      throw new AuthError(UsersErrorCode.WeakPassword, 'choose a password different from the current one');
    }
    await this.users.setPassword(user.id, await this.hasher.hash(input.newPassword), false);
    await this.users.revokeSessions(user.id, 'password changed');
    await this.audit.record({
      tenantId: memberships[0]?.tenantId ?? 'platform',
      actor: { type: 'user', id: user.id, name: user.email },
      action: 'user.password_changed',
      target: { type: 'user', id: user.id },
    });
    return { done: true as const };
  }

  /** Joins the tenant of an invitation: a new account, or a known one that proves its password. */
  async acceptInvitation(input: { token: string; email: string; password: string }) {
    const tokenHash = sha256(input.token);
    const invitation = await this.tenants.findInvitation(tokenHash);
    const invalid = new AuthError(
      UsersErrorCode.InvitationInvalid,
      'the invitation is unknown, used or expired',
    );
    if (!invitation) throw invalid;
    const existing = await this.users.findByEmail(input.email);
    if (existing) await this.credentials.verify(input.email, input.password);
    else await this.checkPolicy(input.password, input.email, invitation.tenantId);
    const userId = existing?.id ?? randomUUID();
    if (!(await this.tenants.consumeInvitation(tokenHash, userId))) throw invalid;
    if (!existing) {
      const hash = await this.hasher.hash(input.password);
      const created = await this.users.create({
        id: userId,
        email: input.email,
        passwordHash: hash,
        mustChangePassword: false,
      });
      if (!created) throw new AuthError(CommonErrorCode.Conflict, 'a user with this email was just created');
    }
    await this.users.addMembership(invitation.tenantId, userId, invitation.role);
    const tenant = (await this.tenants.findById(invitation.tenantId))!;
    const actor: Actor = { userId, tenantId: tenant.id, role: invitation.role };
    await this.record(actor, 'invitation.accepted', userId, { email: input.email, role: invitation.role });
    return {
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      user: userView(await this.member(actor, userId)),
    };
  }

  private async member(actor: Actor, userId: string): Promise<MemberRecord> {
    const member = await this.users.member(asTenantId(actor.tenantId), userId);
    if (!member) throw new AuthError(CommonErrorCode.NotFound, 'user not found');
    return member;
  }

  private requireMayGrant(actor: Actor, role: Role): void {
    if (role === 'owner' && actor.role !== 'owner') {
      throw new AuthError(CommonErrorCode.Forbidden, 'only an owner may manage owners');
    }
  }

  private async requireAnotherOwner(tenantId: TenantId): Promise<void> {
    if ((await this.users.countOwners(tenantId)) <= 1) {
      throw new AuthError(CommonErrorCode.Conflict, 'a tenant keeps at least one owner');
    }
  }

  private async checkPolicy(
    password: string,
    email: string,
    tenantId?: TenantId,
    slug?: string,
  ): Promise<void> {
    const tenantSlug = slug ?? (tenantId ? (await this.tenants.findById(tenantId))?.slug : undefined);
    const problem = passwordProblem(password, { email, tenantSlug });
    if (problem) throw new AuthError(UsersErrorCode.WeakPassword, problem);
  }

  private record(actor: Actor, action: string, userId: string, data: Record<string, unknown>): Promise<void> {
    return this.audit.record({
      tenantId: actor.tenantId,
      actor: { type: 'user', id: actor.userId },
      action,
      target: { type: 'user', id: userId },
      data,
    });
  }
}
