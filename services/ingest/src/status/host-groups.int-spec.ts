import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { asTenantId } from '@optralis/db';
import { RpcClient } from '@optralis/nats';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';
import { DataSource } from 'typeorm';

import { startIngestTestApp } from '../../test/ingest-test-app';
import { rpcFailure } from '../queries/testing/fleet-test-app';
import { MetricStoreSeed, type RollupSeed } from '../queries/testing/metric-store.seed';
import { HostGroupsService } from './host-groups.service';
import { StatusModule } from './status.module';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const NOW = new Date('2030-01-15T10:30:00.000Z');
const CURRENT_HOUR = new Date('2030-01-15T10:00:00.000Z');

/** One rollup row per hour from `from` (inclusive) for `count` hours, skipping the hours in `missing`. */
function hourly(seriesId: number, from: Date, count: number, missing = new Set<number>()): RollupSeed[] {
  return Array.from({ length: count }, (_, index) => index)
    .filter((index) => !missing.has(index))
    .map((index) => ({ seriesId, bucket: new Date(from.getTime() + index * HOUR_MS), sum: 1, count: 1 }));
}

describe(HostGroupsService.name, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let app: INestApplication;
  let seed: MetricStoreSeed;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createNatsNamespace();
    ({ app } = await startIngestTestApp({
      databaseUrl: database.url,
      namespace: nats.namespace,
      modules: [StatusModule],
    }));
    dataSource = app.get(DataSource);
    seed = new MetricStoreSeed(dataSource);
  });

  afterAll(async () => {
    await app?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  async function host(input: {
    tenantId: string;
    tags?: string[];
    reportedTags?: string[];
    status: 'online' | 'offline';
    firstSeen: Date;
    lastSeen: Date;
  }) {
    const created = await seed.host(input);
    await dataSource.query(
      `UPDATE "ingest"."hosts" SET "first_seen" = $2, "last_seen" = $3 WHERE "key" = $1`,
      [created.key, input.firstSeen, input.lastSeen],
    );
    return created;
  }

  it('should count reported host-hours over 90 days, or since the first report when younger', async () => {
    const tenantId = randomUUID();
    const young = await host({
      tenantId,
      tags: ['web'],
      status: 'online',
      firstSeen: new Date(NOW.getTime() - 10 * DAY_MS),
      lastSeen: new Date(NOW.getTime() - 60_000),
    });
    const youngSet = await seed.seriesSet(young.key, [{ name: 'cpu.usage_pct' }, { name: 'disk.used_pct' }]);
    await seed.latest(young.key, youngSet.setId, new Date(NOW.getTime() - 60_000), [1, 2]);
    // 10 days + the current hour = 241 hours; 24 of the 240 past hours missing, the current one reported.
    const youngStart = new Date(CURRENT_HOUR.getTime() - 240 * HOUR_MS);
    const missing = new Set(Array.from({ length: 24 }, (_, index) => 100 + index));
    await seed.rollups('rollup_1h', hourly(youngSet.seriesIds[0], youngStart, 240, missing));

    const old = await host({
      tenantId,
      reportedTags: ['web', 'edge'],
      status: 'offline',
      firstSeen: new Date(NOW.getTime() - 200 * DAY_MS),
      lastSeen: new Date(NOW.getTime() - 2 * HOUR_MS),
    });
    const first = await seed.seriesSet(old.key, [{ name: 'cpu.usage_pct' }]);
    const newest = await seed.seriesSet(old.key, [{ name: 'mem.used_pct' }]);
    await seed.latest(old.key, first.setId, new Date(NOW.getTime() - 46 * DAY_MS), [1]);
    await seed.latest(old.key, newest.setId, new Date(NOW.getTime() - 2 * HOUR_MS), [1]);
    // 90 days + the current hour = 2161 hours: the first series reported the first half, the newest one the
    // second, and hours before the window do not count.
    const windowStart = new Date(CURRENT_HOUR.getTime() - 2160 * HOUR_MS);
    await seed.rollups('rollup_1h', [
      ...hourly(first.seriesIds[0], new Date(windowStart.getTime() - 48 * HOUR_MS), 48),
      ...hourly(first.seriesIds[0], windowStart, 1080),
      ...hourly(newest.seriesIds[0], new Date(windowStart.getTime() + 1080 * HOUR_MS), 1080),
    ]);

    await host({
      tenantId,
      tags: ['db'],
      status: 'offline',
      firstSeen: new Date(NOW.getTime() - 5 * DAY_MS),
      lastSeen: new Date(NOW.getTime() - 5 * DAY_MS),
    });
    await host({ tenantId: randomUUID(), tags: ['web'], status: 'online', firstSeen: NOW, lastSeen: NOW });

    const groups = await app
      .get(HostGroupsService)
      .summarise(asTenantId(tenantId), ['web', 'edge', 'db', 'nothing', 'web'], NOW);

    expect(groups).toEqual([
      // (217 + 2160) / (241 + 2161)
      { tag: 'web', hosts: 2, online: 1, offline: 1, uptimePercent90d: 98.959 },
      // 2160 / 2161
      { tag: 'edge', hosts: 1, online: 0, offline: 1, uptimePercent90d: 99.953 },
      // 0 / 121
      { tag: 'db', hosts: 1, online: 0, offline: 1, uptimePercent90d: 0 },
      { tag: 'nothing', hosts: 0, online: 0, offline: 0, uptimePercent90d: null },
    ]);
  });

  it('should answer 100 for a host that reported every hour since it appeared', async () => {
    const tenantId = randomUUID();
    const created = await host({
      tenantId,
      tags: ['api'],
      status: 'online',
      firstSeen: new Date(CURRENT_HOUR.getTime() - 3 * HOUR_MS + 59 * 60_000),
      lastSeen: new Date(NOW.getTime() - 5_000),
    });
    const set = await seed.seriesSet(created.key, [{ name: 'cpu.usage_pct' }]);
    await seed.rollups(
      'rollup_1h',
      hourly(set.seriesIds[0], new Date(CURRENT_HOUR.getTime() - 3 * HOUR_MS), 3),
    );

    const [group] = await app.get(HostGroupsService).summarise(asTenantId(tenantId), ['api'], NOW);

    expect(group).toEqual({ tag: 'api', hosts: 1, online: 1, offline: 0, uptimePercent90d: 100 });
  });

  it('should answer numbers only, per tag, through rpc.ingest.publicStatus.hostGroups', async () => {
    const tenantId = randomUUID();
    await seed.host({ tenantId, tags: ['web'], name: 'secret-host-name', status: 'online' });
    const rpc = app.get(RpcClient);

    const reply = await rpc.call('rpc.ingest.publicStatus.hostGroups', { tenantId, tags: ['web'] });
    const tooMany = await rpcFailure(
      rpc.call('rpc.ingest.publicStatus.hostGroups', {
        tenantId,
        tags: Array.from({ length: 51 }, (_, index) => `tag-${index}`),
      }),
    );

    expect(reply).toEqual({
      groups: [{ tag: 'web', hosts: 1, online: 1, offline: 0, uptimePercent90d: expect.any(Number) }],
    });
    expect(JSON.stringify(reply)).not.toContain('secret-host-name');
    expect(tooMany.code).toBe('invalid_request');
  });
});
