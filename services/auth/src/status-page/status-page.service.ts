import { Injectable } from '@nestjs/common';
import { type StatusPageSettings, type StatusPageView, TenantSlug } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { type Actor, requireRole } from '../shared/actor';
import { AuditTrail } from '../shared/audit.trail';
import { AuthError, CommonErrorCode } from '../shared/auth-error';
import { TenantsRepository } from '../tenants/tenants.repository';
import { StatusPageRepository, type StatusPageRecord } from './status-page.repository';

export interface ResolvedStatusPage {
  tenantId: string;
  name: string;
  config: Pick<StatusPageSettings, 'title' | 'groups' | 'showIncidents'>;
}

/** A tenant that never saved its page has this one: off, no groups. */
const UNSAVED_PAGE: StatusPageRecord = {
  enabled: false,
  title: null,
  groups: [],
  showIncidents: true,
  updatedAt: null,
};

const SETTINGS = ['enabled', 'title', 'groups', 'showIncidents'] as const;

function view(slug: string, page: StatusPageRecord): StatusPageView {
  return {
    enabled: page.enabled,
    title: page.title,
    groups: page.groups,
    showIncidents: page.showIncidents,
    slug,
    updatedAt: page.updatedAt?.toISOString() ?? null,
  };
}

/** The tenant's public status page: admins configure it; the gateway resolves a slug to the enabled page. */
@Injectable()
export class StatusPageService {
  constructor(
    private readonly pages: StatusPageRepository,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async get(actor: Actor): Promise<StatusPageView> {
    requireRole(actor, 'admin');
    const { tenantId, slug } = await this.tenantOf(actor);
    return view(slug, (await this.pages.find(tenantId)) ?? UNSAVED_PAGE);
  }

  async update(actor: Actor, settings: StatusPageSettings): Promise<StatusPageView> {
    requireRole(actor, 'admin');
    const { tenantId, slug } = await this.tenantOf(actor);
    const before = (await this.pages.find(tenantId)) ?? UNSAVED_PAGE;
    const saved = await this.pages.save(tenantId, { ...settings, updatedBy: actor.userId });
    await this.audit.record({
      tenantId,
      actor: { type: 'user', id: actor.userId },
      action: 'status_page.updated',
      target: { type: 'status_page', id: tenantId },
      data: {
        changed: SETTINGS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(saved[key])),
        enabled: saved.enabled,
        showIncidents: saved.showIncidents,
        groups: saved.groups.length,
      },
    });
    return view(slug, saved);
  }

  /** The same `not_found` for a malformed slug, an unknown one and a disabled page. */
  async resolve(slug: string): Promise<ResolvedStatusPage> {
    const page = TenantSlug.safeParse(slug).success ? await this.pages.findPublished(slug) : undefined;
    if (!page) throw new AuthError(CommonErrorCode.NotFound, 'no public status page has this address');
    return {
      tenantId: page.tenantId,
      name: page.tenantName,
      config: { title: page.title, groups: page.groups, showIncidents: page.showIncidents },
    };
  }

  private async tenantOf(actor: Actor): Promise<{ tenantId: TenantId; slug: string }> {
    const tenant = await this.tenants.findById(asTenantId(actor.tenantId));
    if (!tenant) throw new AuthError(CommonErrorCode.NotFound, 'the caller’s tenant does not exist');
    return { tenantId: tenant.id, slug: tenant.slug };
  }
}
