import { randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { actor, errorCode, type FleetApp, startFleetApp } from '../queries/testing/fleet-test-app';
import { HostsRpc } from './hosts.rpc';

describe(HostsRpc.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let fleet: FleetApp;

  const names = async (tenantId: string, filters: Record<string, string>): Promise<string[]> => {
    const { items } = await fleet.rpc.call('rpc.ingest.hosts.list', { tenantId, filters });
    return items.map((host) => host.name).sort();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    fleet = await startFleetApp({ databaseUrl: database.url, namespace: nats.namespace });
  });

  afterAll(async () => {
    await fleet?.close();
    await nats.cleanup();
    await database.drop();
  });

  it('should list only the tenant hosts by name with merged tags when another tenant has hosts too', async () => {
    const tenantId = randomUUID();
    const web = await fleet.seed.host({
      tenantId,
      name: 'web-01',
      description: 'front',
      tags: ['prod', 'eu'],
      reportedTags: ['eu', 'nginx'],
      seriesCount: 12,
    });
    await fleet.seed.host({ tenantId, name: 'db-01', status: 'offline' });
    await fleet.seed.host({ tenantId: randomUUID(), name: 'aaa-foreign' });

    const { items, nextCursor } = await fleet.rpc.call('rpc.ingest.hosts.list', { tenantId });

    expect(items.map((host) => host.name)).toEqual(['db-01', 'web-01']);
    expect(nextCursor).toBeNull();
    expect(items[1]).toEqual({
      id: web.hostId,
      name: 'web-01',
      description: 'front',
      tags: ['prod', 'eu', 'nginx'],
      status: 'online',
      source: 'agent',
      firstSeen: expect.any(String),
      lastSeen: expect.any(String),
      statusChangedAt: expect.any(String),
      intervalSeconds: 10,
      seriesCount: 12,
    });
  });

  it('should page through every host once in order when names repeat across pages', async () => {
    const tenantId = randomUUID();
    for (const name of ['b', 'a', 'c', 'b', 'b', 'd', 'a']) await fleet.seed.host({ tenantId, name });
    const ordered: { name: string; host_id: string }[] = await fleet.dataSource.query(
      `SELECT "name", "host_id" FROM "ingest"."hosts" WHERE "tenant_id" = $1 ORDER BY "name", "host_id"`,
      [tenantId],
    );
    const expected = ordered.map((host) => `${host.name}/${host.host_id}`);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await fleet.rpc.call('rpc.ingest.hosts.list', { tenantId, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((host) => `${host.name}/${host.id}`));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);

    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(7);
    expect(pages).toBe(4);
  });

  it('should treat % _ and \\ in q as plain characters and search name, id and description', async () => {
    const tenantId = randomUUID();
    await fleet.seed.host({ tenantId, name: 'web_01' });
    await fleet.seed.host({ tenantId, name: 'web-01' });
    await fleet.seed.host({ tenantId, name: 'cpu 100%' });
    await fleet.seed.host({ tenantId, name: 'cpu 1000' });
    await fleet.seed.host({ tenantId, name: 'share', description: 'C:\\data mount' });
    await fleet.seed.host({ tenantId, name: 'plain', hostId: 'rack7-node-XYZ' });

    expect(await names(tenantId, { q: '_' })).toEqual(['web_01']);
    expect(await names(tenantId, { q: '0%' })).toEqual(['cpu 100%']);
    expect(await names(tenantId, { q: 'WEB' })).toEqual(['web-01', 'web_01']);
    expect(await names(tenantId, { q: ':\\d' })).toEqual(['share']);
    expect(await names(tenantId, { q: 'node-xyz' })).toEqual(['plain']);
    expect(await names(tenantId, { q: '%' })).toEqual(['cpu 100%']);
  });

  it('should filter by status and by a tag that is either editable or reported', async () => {
    const tenantId = randomUUID();
    await fleet.seed.host({ tenantId, name: 'a', tags: ['prod'] });
    await fleet.seed.host({ tenantId, name: 'b', reportedTags: ['prod'], status: 'offline' });
    await fleet.seed.host({ tenantId, name: 'c', tags: ['staging'], reportedTags: ['production'] });

    expect(await names(tenantId, { tag: 'prod' })).toEqual(['a', 'b']);
    expect(await names(tenantId, { status: 'offline' })).toEqual(['b']);
    expect(await names(tenantId, { status: 'online', tag: 'prod' })).toEqual(['a']);
  });

  it('should show a host with its inventory and sorted distinct metric names', async () => {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({
      tenantId,
      name: 'db-02',
      tags: ['sql'],
      reportedTags: ['linux'],
      inventory: { os: 'Debian 12', kernel: '6.1.0' },
    });
    await fleet.seed.seriesSet(host.key, [
      { name: 'mem.used_pct' },
      { name: 'disk.used_pct', labels: { mount: '/' } },
      { name: 'disk.used_pct', labels: { mount: '/var' } },
      { name: 'cpu.usage_pct' },
    ]);

    const detail = await fleet.rpc.call('rpc.ingest.hosts.get', { tenantId, hostId: host.hostId });

    expect(detail).toMatchObject({
      id: host.hostId,
      name: 'db-02',
      tags: ['sql', 'linux'],
      editableTags: ['sql'],
      reportedTags: ['linux'],
      inventory: { os: 'Debian 12', kernel: '6.1.0' },
      inventoryUpdatedAt: null,
      seriesDropped: 0,
      metricNames: ['cpu.usage_pct', 'disk.used_pct', 'mem.used_pct'],
    });
  });

  it('should export filtered rows as strings page by page with the inventory fields', async () => {
    const tenantId = randomUUID();
    const alpha = await fleet.seed.host({
      tenantId,
      name: 'alpha',
      tags: ['prod'],
      reportedTags: ['eu'],
      description: 'first, "quoted"',
      inventory: { os: 'Debian 12', kernel: '6.1.0', cpu: 'x' },
      seriesCount: 3,
    });
    await fleet.seed.host({ tenantId, name: 'beta', tags: ['prod'] });
    await fleet.seed.host({ tenantId, name: 'gamma' });

    const first = await fleet.rpc.call('rpc.ingest.hosts.exportRows', {
      tenantId,
      filters: { tag: 'prod' },
      limit: 1,
    });
    const second = await fleet.rpc.call('rpc.ingest.hosts.exportRows', {
      tenantId,
      filters: { tag: 'prod' },
      limit: 1,
      cursor: first.nextCursor ?? undefined,
    });

    expect(first.columns).toEqual([
      'id',
      'name',
      'status',
      'tags',
      'description',
      'source',
      'first_seen',
      'last_seen',
      'interval_seconds',
      'series_count',
      'os',
      'kernel',
    ]);
    expect(first.rows).toEqual([
      [
        alpha.hostId,
        'alpha',
        'online',
        'prod;eu',
        'first, "quoted"',
        'agent',
        expect.stringMatching(/Z$/),
        expect.stringMatching(/Z$/),
        '10',
        '3',
        'Debian 12',
        '6.1.0',
      ],
    ]);
    expect(second.rows.map((row) => [row[1], row[10], row[11]])).toEqual([['beta', '', '']]);
    expect(second.nextCursor).toBeNull();
  });

  it('should answer invalid_request to malformed requests and keep serving', async () => {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({ tenantId, name: 'still-here' });
    const raw = (subject: string, body: unknown) =>
      nats.requestRaw<{ ok: boolean; error?: { code: string } }>(subject, JSON.stringify(body));
    const forged = Buffer.from(JSON.stringify({ name: 'a' })).toString('base64url');

    const replies = await Promise.all([
      raw('rpc.ingest.hosts.list', { tenantId, admin: true }),
      raw('rpc.ingest.hosts.list', { tenantId, cursor: '!!not-a-cursor!!' }),
      raw('rpc.ingest.hosts.list', { tenantId, cursor: forged }),
      raw('rpc.ingest.hosts.list', { tenantId, limit: 501 }),
      raw('rpc.ingest.hosts.list', { tenantId, filters: { q: 'x', sql: '1' } }),
      raw('rpc.ingest.hosts.exportRows', { tenantId, cursor: 'e30' }),
      raw('rpc.ingest.hosts.get', { tenantId, hostId: 'a.b' }),
      raw('rpc.ingest.hosts.get', { tenantId, hostId: '*' }),
      raw('rpc.ingest.hosts.get', { tenantId: 'x>', hostId: host.hostId }),
      raw('rpc.ingest.hosts.update', {
        actor: actor('owner', tenantId),
        hostId: host.hostId,
        tags: Array.from({ length: 10_000 }, (_, index) => `t${index}`),
      }),
    ]);
    const garbage = await nats.requestRaw<{ ok: boolean; error?: { code: string } }>(
      'rpc.ingest.hosts.get',
      '{"tenantId":',
    );

    expect([...replies, garbage].map(errorCode)).toEqual(Array(11).fill('invalid_request'));
    await expect(
      fleet.rpc.call('rpc.ingest.hosts.get', { tenantId, hostId: host.hostId }),
    ).resolves.toMatchObject({ name: 'still-here', editableTags: [] });
  });

  it('should end export pages early rather than send an answer larger than NATS carries', async () => {
    const tenantId = randomUUID();
    await fleet.dataSource.query(
      `INSERT INTO "ingest"."hosts" ("tenant_id", "host_id", "name", "description", "source")
       SELECT $1, 'h' || lpad(i::text, 4, '0'), 'host-' || lpad(i::text, 4, '0'), repeat('d', 2000), 'agent'
       FROM generate_series(1, 800) i`,
      [tenantId],
    );

    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await fleet.rpc.call('rpc.ingest.hosts.exportRows', { tenantId, limit: 5000, cursor });
      pages.push(page.rows.length);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(pages.length).toBeGreaterThan(1);
    expect(pages.reduce((total, rows) => total + rows, 0)).toBe(800);
  });
});
