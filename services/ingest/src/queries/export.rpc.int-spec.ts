import { randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { type FleetApp, rpcFailure, startFleetApp } from './testing/fleet-test-app';
import { MetricsRpc } from './metrics.rpc';

describe(`${MetricsRpc.name} export`, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let fleet: FleetApp;
  const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);

  /** Two hosts of one tenant with three series, and a host of another tenant with a series of the same name. */
  async function twoTenants() {
    const tenantId = randomUUID();
    const web = await fleet.seed.host({ tenantId, name: 'web-01' });
    const db = await fleet.seed.host({ tenantId, name: 'db-01' });
    const foreign = await fleet.seed.host({ tenantId: randomUUID(), name: 'foreign' });
    const webSet = await fleet.seed.seriesSet(web.key, [
      { name: 'cpu.usage_pct' },
      { name: 'disk.used_pct', labels: { mount: '/' } },
    ]);
    const dbSet = await fleet.seed.seriesSet(db.key, [{ name: 'cpu.usage_pct' }]);
    const foreignSet = await fleet.seed.seriesSet(foreign.key, [{ name: 'cpu.usage_pct' }]);
    await fleet.seed.latest(web.key, webSet.setId, time, [12.5, 71.2]);
    await fleet.seed.latest(db.key, dbSet.setId, time, [3]);
    await fleet.seed.latest(foreign.key, foreignSet.setId, time, [99]);
    return { tenantId, web, db, foreign };
  }

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

  it('should export the latest value of every series of the tenant only, grouped by metric name', async () => {
    const { tenantId, web, db } = await twoTenants();

    const { series } = await fleet.rpc.call('rpc.ingest.export.latest', { tenantId });

    const at = time.toISOString();
    const cpu = [
      { hostId: web.hostId, hostName: 'web-01', name: 'cpu.usage_pct', labels: {}, value: 12.5, time: at },
      { hostId: db.hostId, hostName: 'db-01', name: 'cpu.usage_pct', labels: {}, value: 3, time: at },
    ].sort((left, right) => (left.hostId < right.hostId ? -1 : 1));
    expect(series).toHaveLength(3);
    expect(series.slice(0, 2)).toEqual(expect.arrayContaining(cpu));
    expect(series[2]).toEqual({
      hostId: web.hostId,
      hostName: 'web-01',
      name: 'disk.used_pct',
      labels: { mount: '/' },
      value: 71.2,
      time: at,
    });
  });

  it('should export only the chosen hosts and never another tenant host named among them', async () => {
    const { tenantId, db, foreign } = await twoTenants();

    const { series } = await fleet.rpc.call('rpc.ingest.export.latest', {
      tenantId,
      hostIds: [db.hostId, foreign.hostId, 'unknown'],
    });

    expect(series.map((entry) => [entry.hostId, entry.value])).toEqual([[db.hostId, 3]]);
  });

  it('should export nothing for a tenant without hosts', async () => {
    await twoTenants();

    await expect(fleet.rpc.call('rpc.ingest.export.latest', { tenantId: randomUUID() })).resolves.toEqual({
      series: [],
      nextCursor: null,
    });
  });

  it('should answer export.too_many_series with the limit and the count when the tenant has more series', async () => {
    const { tenantId } = await twoTenants();

    const error = await rpcFailure(fleet.rpc.call('rpc.ingest.export.latest', { tenantId, maxSeries: 2 }));

    expect(error.code).toBe('export.too_many_series');
    expect(error.details).toEqual({ limit: 2, count: 3 });
  });

  it('should answer export.too_many_series rather than a reply too large for NATS', async () => {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({ tenantId, name: 'wide' });
    const label = 'x'.repeat(1000);
    await fleet.dataSource.query(
      `INSERT INTO "ingest"."series" ("host_key", "name", "labels", "labels_key")
       SELECT $1, 'wide.metric', jsonb_build_object('id', i::text, 'pad', $2::text), i::text
       FROM generate_series(1, 2000) AS i`,
      [host.key, label],
    );

    const error = await rpcFailure(fleet.rpc.call('rpc.ingest.export.latest', { tenantId }));

    expect(error.code).toBe('export.too_many_series');
    expect(error.details).toMatchObject({ count: 2000, limit: expect.any(Number) });
    expect((error.details as { limit: number }).limit).toBeLessThan(1000);
  });
});
