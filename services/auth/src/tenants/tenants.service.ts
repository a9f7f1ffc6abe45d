import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { asTenantId } from '@optralis/db';

import { type Actor } from '../shared/actor';
import { AuditTrail } from '../shared/audit.trail';
import { AuthError, CommonErrorCode } from '../shared/auth-error';
import { randomToken, sha256 } from '../shared/secrets';
import { TenantsRepository, type TenantRecord } from './tenants.repository';

/** The tenant whose owners run the platform: created at first start, allowed to manage tenants. */
export const PLATFORM_TENANT_SLUG = 'default';
const INVITATION_TTL_MS = 7 * 86_400_000;

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  settings: TenantRecord['settings'];
  createdAt: string;
}

export function tenantView(tenant: TenantRecord): TenantView {
  return { ...tenant, createdAt: tenant.createdAt.toISOString() };
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async list(actor: Actor): Promise<{ items: TenantView[] }> {
    await this.requirePlatformOwner(actor);
    return { items: (await this.tenants.list()).map(tenantView) };
  }

  /** A new tenant and a one-time invitation for its first owner (single use, 7 days). */
  async create(
    actor: Actor,
    input: { slug: string; name: string },
  ): Promise<{ tenant: TenantView; invitation: { token: string; role: 'owner'; expiresAt: string } }> {
    await this.requirePlatformOwner(actor);
    const tenant = await this.tenants.create({ id: asTenantId(randomUUID()), ...input });
    if (!tenant) throw new AuthError(CommonErrorCode.Conflict, `tenant slug "${input.slug}" is taken`);
    const token = randomToken();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    await this.tenants.createInvitation(tenant.id, { tokenHash: sha256(token), role: 'owner', expiresAt });
    await this.audit.record({
      tenantId: tenant.id,
      actor: { type: 'user', id: actor.userId },
      action: 'tenant.created',
      target: { type: 'tenant', id: tenant.id },
      data: { slug: tenant.slug, byTenant: actor.tenantId },
    });
    return {
      tenant: tenantView(tenant),
      invitation: { token, role: 'owner', expiresAt: expiresAt.toISOString() },
    };
  }

  private async requirePlatformOwner(actor: Actor): Promise<void> {
    const home = await this.tenants.findById(asTenantId(actor.tenantId));
    if (actor.role !== 'owner' || home?.slug !== PLATFORM_TENANT_SLUG) {
      throw new AuthError(CommonErrorCode.Forbidden, 'only owners of the platform tenant manage tenants');
    }
  }
}
