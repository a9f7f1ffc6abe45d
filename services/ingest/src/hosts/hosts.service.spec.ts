import type { TokenActor } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';

import { strictMock } from '@optralis/testing/vitest';
import { HostAuditTrail } from './host-audit';
import { encodeHostCursor } from './host-cursor';
import type { HostRepository } from './host.repository';
import type { HostChange, HostDetailRecord, HostRecord } from './host.types';
import { HostsService } from './hosts.service';

const tenantId = asTenantId('tenant-a');
const editor: TokenActor = { userId: 'user-1', tenantId, role: 'editor' };

function host(overrides: Partial<HostDetailRecord> = {}): HostDetailRecord {
  const time = new Date('2026-11-20T10:00:00.123Z');
  return {
    key: 1,
    hostId: 'host-1',
    name: 'web-01',
    description: '',
    tags: [],
    reportedTags: ['linux'],
    status: 'online',
    source: 'agent',
    firstSeen: time,
    lastSeen: time,
    statusChangedAt: time,
    intervalSeconds: 10,
    seriesCount: 0,
    seriesDropped: 0,
    updatedAt: time,
    inventory: {},
    inventoryUpdatedAt: null,
    metricNames: [],
    ...overrides,
  };
}

describe(HostsService.name, () => {
  function setup() {
    const repository = strictMock<HostRepository>(['list', 'get', 'update', 'exportRows', 'resolveKey']);
    const audit = strictMock<HostAuditTrail>(['record']);
    audit.record.mockResolvedValue(undefined);
    return { sut: new HostsService(repository, audit), repository, audit };
  }

  it('should store trimmed unique tags and build the updated event from the stored host', async () => {
    const { sut, repository, audit } = setup();
    repository.update.mockImplementation(async (_tenant: string, _host: string, change: HostChange) => {
      return host({ tags: change.tags ?? [] });
    });

    await sut.update(editor, { hostId: 'host-1', tags: [' a', 'a ', 'b', '  ', 'linux'] });

    const change: HostChange = repository.update.mock.calls[0][2];
    expect(repository.update).toHaveBeenCalledWith(tenantId, 'host-1', expect.anything());
    expect(change.tags).toEqual(['a', 'b', 'linux']);
    const event = change.event(host({ tags: ['a', 'b', 'linux'] }));
    expect(event.msgId).toBe(`host:tenant-a:host-1:updated:${Date.parse('2026-11-20T10:00:00.123Z')}`);
    expect(event.payload).toMatchObject({ kind: 'updated', data: { tags: ['a', 'b', 'linux'] } });
    expect(audit.record).toHaveBeenCalledWith({
      actor: editor,
      hostId: 'host-1',
      action: 'host.updated',
      data: { tags: ['a', 'b', 'linux'] },
    });
  });

  it('should give an event a hashed id when the tenant and host ids make it too long', async () => {
    const { sut, repository } = setup();
    const long = { ...editor, tenantId: asTenantId('t'.repeat(128)) };
    repository.update.mockResolvedValue(host());

    await sut.update(long, { hostId: 'host-1', description: 'x' });

    const event = (repository.update.mock.calls[0][2] as HostChange).event(host({ hostId: 'h'.repeat(128) }));
    expect(event.msgId).toMatch(/^host:[0-9a-f]{64}$/);
    expect(event.payload.id).toBe(event.msgId);
  });

  it('should refuse an observer before touching the store', async () => {
    const { sut } = setup();

    await expect(
      sut.update({ ...editor, role: 'observer' }, { hostId: 'host-1', description: 'x' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('should answer the host unchanged and record nothing when the update names no field', async () => {
    const { sut, repository, audit } = setup();
    repository.get.mockResolvedValue(host());

    await expect(sut.update(editor, { hostId: 'host-1' })).resolves.toMatchObject({ hostId: 'host-1' });
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should hand out a cursor only when one more host than the page exists', async () => {
    const { sut, repository } = setup();
    const hosts: HostRecord[] = [host({ hostId: 'a' }), host({ hostId: 'b' }), host({ hostId: 'c' })];
    repository.list.mockResolvedValueOnce(hosts).mockResolvedValueOnce(hosts.slice(2));

    const first = await sut.list(tenantId, { filters: {}, limit: 2, maxReplyBytes: 1e6 });
    const second = await sut.list(tenantId, {
      filters: {},
      limit: 2,
      cursor: first.nextCursor ?? undefined,
      maxReplyBytes: 1e6,
    });

    expect(first.nextCursor).toBe(encodeHostCursor({ name: 'web-01', hostId: 'b' }));
    expect(repository.list).toHaveBeenLastCalledWith(tenantId, {
      filters: {},
      after: { name: 'web-01', hostId: 'b' },
      limit: 3,
    });
    expect(second).toMatchObject({ items: [{ hostId: 'c' }], nextCursor: null });
  });

  it('should refuse a cursor it did not hand out', async () => {
    const { sut } = setup();
    const forged = Buffer.from(JSON.stringify(['name', 42])).toString('base64url');

    for (const cursor of ['%%%', forged, 'bnVsbA']) {
      await expect(
        sut.list(tenantId, { filters: {}, limit: 2, cursor, maxReplyBytes: 1e6 }),
      ).rejects.toMatchObject({
        code: 'invalid_request',
      });
    }
  });

  it('should end a page early with a cursor after the last row that fits when rows are large', async () => {
    const { sut, repository } = setup();
    const wide = (hostId: string) => ({
      ...host({ hostId, description: 'x'.repeat(400) }),
      os: '',
      kernel: '',
    });
    repository.exportRows.mockResolvedValue([wide('a'), wide('b'), wide('c')]);

    const page = await sut.exportRows(tenantId, { filters: {}, limit: 5, maxReplyBytes: 1300 });

    expect(page.rows.map((row) => row[0])).toEqual(['a', 'b']);
    expect(page.nextCursor).toBe(encodeHostCursor({ name: 'web-01', hostId: 'b' }));
  });
});
