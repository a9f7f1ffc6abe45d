import { rpcMethods } from '@optralis/contracts';
import { strictMock } from '@optralis/testing/vitest';

import type { Actor } from '../shared/actor';
import type { AuditTrail } from '../shared/audit.trail';
import type { TenantsRepository } from '../tenants/tenants.repository';
import type { StatusPageRepository } from './status-page.repository';
import { StatusPageService } from './status-page.service';

const TENANT = '22222222-2222-4222-8222-222222222222';
const admin: Actor = { userId: '11111111-1111-4111-8111-111111111111', tenantId: TENANT, role: 'admin' };
const UPDATE = rpcMethods['rpc.auth.statusPage.update'].request;

function setup() {
  const pages = strictMock<StatusPageRepository>(['find', 'save', 'findPublished']);
  const tenants = strictMock<TenantsRepository>(['findById']);
  const audit = strictMock<AuditTrail>(['record']);
  tenants.findById.mockResolvedValue({
    id: TENANT,
    slug: 'acme',
    name: 'Acme',
    settings: {},
    createdAt: new Date(),
  });
  audit.record.mockResolvedValue(undefined);
  return { sut: new StatusPageService(pages, tenants, audit), pages, audit };
}

function settings(overrides: Record<string, unknown> = {}) {
  return UPDATE.safeParse({ actor: admin, ...overrides });
}

describe(StatusPageService.name, () => {
  it('should answer a disabled page without groups when the tenant never saved one', async () => {
    const { sut, pages } = setup();
    pages.find.mockResolvedValue(undefined);

    expect(await sut.get(admin)).toEqual({
      enabled: false,
      title: null,
      groups: [],
      showIncidents: true,
      slug: 'acme',
      updatedAt: null,
    });
  });

  it('should refuse an editor when the page is read or changed', async () => {
    const { sut } = setup();
    const editor: Actor = { ...admin, role: 'editor' };

    await expect(sut.get(editor)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      sut.update(editor, { enabled: true, title: null, groups: [], showIncidents: true }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('should save the settings and audit the fields that changed when an admin updates the page', async () => {
    const { sut, pages, audit } = setup();
    pages.find.mockResolvedValue(undefined);
    const updatedAt = new Date('2026-11-20T10:00:00.000Z');
    pages.save.mockImplementation(async (_tenant, page) => ({ ...page, updatedAt }));
    const groups = [{ name: 'Website', tag: 'web' }];

    const view = await sut.update(admin, {
      enabled: true,
      title: 'Acme status',
      groups,
      showIncidents: true,
    });

    expect(view).toMatchObject({ enabled: true, title: 'Acme status', groups, slug: 'acme' });
    expect(pages.save).toHaveBeenCalledWith(TENANT, {
      enabled: true,
      title: 'Acme status',
      groups,
      showIncidents: true,
      updatedBy: admin.userId,
    });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        tenantId: TENANT,
        action: 'status_page.updated',
        data: { changed: ['enabled', 'title', 'groups'], enabled: true, showIncidents: true, groups: 1 },
      }),
    );
  });

  it('should answer not_found when the slug is unknown', async () => {
    const { sut, pages } = setup();
    pages.findPublished.mockResolvedValue(undefined);

    await expect(sut.resolve('nobody')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('should answer not_found without a query when the slug cannot be a tenant slug', async () => {
    const { sut, pages } = setup();

    await expect(sut.resolve('<script>')).rejects.toMatchObject({ code: 'not_found' });
    expect(pages.findPublished).not.toHaveBeenCalled();
  });

  it('should answer the tenant and its public settings when the page is enabled', async () => {
    const { sut, pages } = setup();
    const groups = [{ name: 'API', tag: 'api' }];
    pages.findPublished.mockResolvedValue({
      tenantId: TENANT,
      tenantName: 'Acme',
      title: null,
      groups,
      showIncidents: false,
    });

    expect(await sut.resolve('acme')).toEqual({
      tenantId: TENANT,
      name: 'Acme',
      config: { title: null, groups, showIncidents: false },
    });
    expect(pages.findPublished).toHaveBeenCalledWith('acme');
  });
});

describe('rpc.auth.statusPage.update request', () => {
  it('should take the defaults when only the actor is given', () => {
    expect(settings().data).toEqual({
      actor: admin,
      enabled: false,
      title: null,
      groups: [],
      showIncidents: true,
    });
  });

  it('should refuse more than 20 groups', () => {
    const groups = Array.from({ length: 21 }, (_, index) => ({
      name: `Group ${index}`,
      tag: `tag-${index}`,
    }));

    expect(settings({ groups }).success).toBe(false);
    expect(settings({ groups: groups.slice(0, 20) }).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'x'.repeat(129)],
    ['with a control character', 'web\u0000'],
    ['with a newline', 'web\nprod'],
  ])('should refuse a tag that is %s', (_label, tag) => {
    expect(settings({ groups: [{ name: 'Web', tag }] }).success).toBe(false);
  });

  it('should refuse two groups of the same tag or the same name', () => {
    expect(
      settings({
        groups: [
          { name: 'Web', tag: 'web' },
          { name: 'Web 2', tag: 'web' },
        ],
      }).success,
    ).toBe(false);
    expect(
      settings({
        groups: [
          { name: 'Web', tag: 'a' },
          { name: 'WEB', tag: 'b' },
        ],
      }).success,
    ).toBe(false);
  });

  it('should keep markup in a title verbatim, for the renderer to escape', () => {
    const title = '<script>alert("x")</script> & \'quotes\'';

    expect(settings({ title }).data?.title).toBe(title);
  });

  it.each([
    ['a right-to-left override', 'Status \u202Egnp.exe'],
    ['a right-to-left isolate', 'Status \u2067x\u2069'],
    ['a control character', 'Status\u0007'],
    ['a C1 control character', 'Status\u0085'],
    ['nothing but spaces', '   '],
    ['more than 120 characters', 'x'.repeat(121)],
  ])('should refuse a title with %s', (_label, title) => {
    expect(settings({ title }).success).toBe(false);
  });

  it('should refuse a group name with a directional override', () => {
    expect(settings({ groups: [{ name: '\u202EbeW', tag: 'web' }] }).success).toBe(false);
  });

  it('should refuse fields it does not know', () => {
    expect(settings({ showHostNames: true }).success).toBe(false);
  });
});
