import { randomUUID } from 'node:crypto';

import { type ExportSeries, prometheusMetricName } from '@optralis/contracts';
import {
  createNatsNamespace,
  createTestDatabase,
  type NatsTestNamespace,
  type TestDatabase,
} from '@optralis/testing';

import { errorCode, type FleetApp, rpcFailure, startFleetApp } from './testing/fleet-test-app';
import { MetricsRpc } from './metrics.rpc';

const COLLIDING = ['cpu.usage', 'cpu_usage', 'cpu-usage', 'cpu/usage', 'cpu.usage_pct'];
const NAMES = [...COLLIDING, ...Array.from({ length: 20 }, (_, index) => `m.metric_${index}`)];

function seriesKey(series: ExportSeries): string {
  return `${series.hostId}|${series.name}|${JSON.stringify(series.labels)}`;
}

/** The Prometheus names in arrival order, each family in one run: a name that comes back fails. */
function expectFamiliesTogether(series: ExportSeries[]): void {
  const closed = new Set<string>();
  let current: string | undefined;
  for (const { name } of series) {
    const family = prometheusMetricName(name);
    if (family === current) continue;
    expect(closed.has(family), `${family} is split`).toBe(false);
    if (current !== undefined) closed.add(current);
    current = family;
  }
}

describe(`${MetricsRpc.name} export pages`, () => {
  let database: TestDatabase;
  let nats: NatsTestNamespace;
  let fleet: FleetApp;

  /** `hosts` hosts of a new tenant, each with 4 series (label `core`) of every name and a latest value. */
  async function tenantWithSeries(hosts: number, names: string[] = NAMES) {
    const tenantId = randomUUID();
    await fleet.dataSource.query(
      `WITH hosts AS (
         INSERT INTO "ingest"."hosts" ("tenant_id", "host_id", "name", "source")
         SELECT $1, $1 || '-h' || i, 'host-' || i, 'agent' FROM generate_series(1, $2::int) i RETURNING "key"),
       series AS (
         INSERT INTO "ingest"."series" ("host_key", "name", "labels", "labels_key")
         SELECT h."key", n.name, jsonb_build_object('core', c::text), n.name || c
         FROM hosts h CROSS JOIN unnest($3::text[]) n(name) CROSS JOIN generate_series(0, 3) c
         RETURNING "id", "host_key"),
       sets AS (
         INSERT INTO "ingest"."series_sets" ("host_key", "hash", "series_ids")
         SELECT "host_key", 'all', array_agg("id" ORDER BY "id") FROM series GROUP BY "host_key"
         RETURNING "id", "host_key", "series_ids")
       INSERT INTO "ingest"."latest" ("host_key", "set_id", "time", "values")
       SELECT "host_key", "id", now(), ARRAY(SELECT x::float8 FROM unnest("series_ids") x) FROM sets`,
      [tenantId, hosts, names],
    );
    return tenantId;
  }

  async function allPages(request: { tenantId: string; limit?: number; cursor?: string }) {
    const pages: ExportSeries[][] = [];
    let cursor = request.cursor;
    do {
      const page = await fleet.rpc.call('rpc.ingest.export.latest', {
        ...request,
        cursor,
        maxSeries: 200_000,
      });
      pages.push(page.series);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return pages;
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

  it('should page through 20 000 series returning each once with families together under concurrent writes', async () => {
    const tenantId = await tenantWithSeries(200);
    await tenantWithSeries(2);
    const first = await fleet.rpc.call('rpc.ingest.export.latest', {
      tenantId,
      limit: 10_000,
      maxSeries: 200_000,
    });
    const [host] = await fleet.dataSource.query(
      `SELECT "key" FROM "ingest"."hosts" WHERE "tenant_id" = $1 ORDER BY "key" LIMIT 1`,
      [tenantId],
    );
    // Written between pages: a series behind the cursor, one ahead of it, and new values for old ones.
    await fleet.seed
      .seriesSet(host.key, [{ name: 'a.before' }, { name: 'zz.after' }])
      .then((set) => fleet.seed.latest(host.key, set.setId, new Date(), [1, 2]));
    await fleet.dataSource.query(
      `UPDATE "ingest"."latest" l SET "values" = ARRAY(SELECT -x FROM unnest(l."values") x)
       FROM "ingest"."hosts" h WHERE h."key" = l."host_key" AND h."tenant_id" = $1`,
      [tenantId],
    );

    const rest = await allPages({ tenantId, cursor: first.nextCursor ?? undefined });

    const series = [first.series, ...rest].flat();
    const keys = series.map(seriesKey);
    expect(rest.length).toBeGreaterThan(1);
    expect(first.series.length).toBeLessThan(10_000);
    expect(new Set(keys).size).toBe(keys.length);
    expect(series.filter((entry) => !entry.name.endsWith('after'))).toHaveLength(20_000);
    expect(series.filter((entry) => entry.name === 'zz.after')).toHaveLength(1);
    expect(series.every((entry) => entry.hostId.startsWith(tenantId))).toBe(true);
    expectFamiliesTogether(series);
  }, 60_000);

  it('should keep names that share a Prometheus name together even across one-series pages', async () => {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({ tenantId });
    const names = [
      'cpu.usage',
      'b.other',
      '1abc',
      'cpu.usage_pct',
      'ä.b',
      'cpu_usage',
      '_1abc',
      '__b',
      'cpu/usage',
    ];
    const set = await fleet.seed.seriesSet(
      host.key,
      names.map((name) => ({ name })),
    );
    await fleet.seed.latest(
      host.key,
      set.setId,
      new Date(),
      names.map((_, index) => index),
    );

    const series = (await allPages({ tenantId, limit: 1 })).flat();

    expect(series).toHaveLength(names.length);
    expect(Object.fromEntries(series.map((entry) => [entry.name, entry.value]))).toEqual(
      Object.fromEntries(names.map((name, index) => [name, index])),
    );
    expectFamiliesTogether(series);
    expect(series.map((entry) => prometheusMetricName(entry.name))).toEqual(
      names.map(prometheusMetricName).sort(),
    );
  });

  it('should give the newest value of a series across its sets and leave out values that are not numbers', async () => {
    const tenantId = randomUUID();
    const host = await fleet.seed.host({ tenantId, name: 'web-01' });
    const older = await fleet.seed.seriesSet(host.key, [{ name: 'cpu.usage_pct' }, { name: 'load.1m' }]);
    const newer = await fleet.seed.seriesSet(host.key, [{ name: 'cpu.usage_pct' }]);
    const time = new Date(Math.floor(Date.now() / 1000) * 1000);
    await fleet.seed.latest(host.key, older.setId, new Date(time.getTime() - 10_000), [1, Number.NaN]);
    await fleet.seed.latest(host.key, newer.setId, time, [2]);

    const reply = await fleet.rpc.call('rpc.ingest.export.latest', { tenantId, limit: 10 });

    expect(reply).toEqual({
      series: [
        {
          hostId: host.hostId,
          hostName: 'web-01',
          name: 'cpu.usage_pct',
          labels: {},
          time: time.toISOString(),
          value: 2,
        },
      ],
      nextCursor: null,
    });
  });

  it('should answer a page without a cursor or limit in the one-reply shape', async () => {
    const tenantId = await tenantWithSeries(1, ['cpu.usage_pct']);

    const reply = await fleet.rpc.call('rpc.ingest.export.latest', { tenantId });

    expect(reply).toMatchObject({ nextCursor: null });
    expect(reply.series).toHaveLength(4);
  });

  it('should refuse a first page with export.too_many_series when the tenant holds more than maxSeries', async () => {
    const tenantId = await tenantWithSeries(1, ['cpu.usage_pct']);

    const error = await rpcFailure(
      fleet.rpc.call('rpc.ingest.export.latest', { tenantId, limit: 10, maxSeries: 3 }),
    );

    expect(error.code).toBe('export.too_many_series');
    expect(error.details).toEqual({ limit: 3, count: 4 });
  });

  it('should give none of a tenant series to another tenant that replays its cursor', async () => {
    // The other tenant's series are older: its cpu_usage ones sort before the owner's cursor.
    const other = await tenantWithSeries(2);
    const owner = await tenantWithSeries(3);
    const first = await fleet.rpc.call('rpc.ingest.export.latest', { tenantId: owner, limit: 30 });

    const replayed = (await allPages({ tenantId: other, cursor: first.nextCursor ?? undefined })).flat();

    const everything = (await allPages({ tenantId: other, limit: 1000 })).flat();
    expect(prometheusMetricName(first.series[29].name)).toBe('cpu_usage');
    expect(replayed.every((entry) => entry.hostId.startsWith(other))).toBe(true);
    expect(replayed).toEqual(everything.filter((entry) => prometheusMetricName(entry.name) !== 'cpu_usage'));
    expect(replayed).toHaveLength(2 * (NAMES.length - 4) * 4);
  });

  it('should answer invalid_request to a cursor it did not hand out and to a limit out of bounds', async () => {
    const tenantId = await tenantWithSeries(1, ['cpu.usage_pct']);
    const raw = (body: unknown) =>
      nats.requestRaw<{ ok: boolean; error?: { code: string } }>(
        'rpc.ingest.export.latest',
        JSON.stringify(body),
      );
    const forged = Buffer.from(JSON.stringify({ family: 'cpu', seriesId: 1 })).toString('base64url');

    const failures = await Promise.all([
      rpcFailure(fleet.rpc.call('rpc.ingest.export.latest', { tenantId, cursor: 'garbage!!' })),
      rpcFailure(fleet.rpc.call('rpc.ingest.export.latest', { tenantId, cursor: forged })),
      rpcFailure(fleet.rpc.call('rpc.ingest.export.latest', { tenantId, cursor: 'e30', limit: 5 })),
    ]);
    const replies = await Promise.all([
      raw({ tenantId, limit: 0 }),
      raw({ tenantId, limit: 10_001 }),
      raw({ tenantId, cursor: '' }),
      raw({ tenantId, cursor: 'x'.repeat(2049) }),
    ]);

    expect(failures.map((failure) => failure.code)).toEqual(Array(3).fill('invalid_request'));
    expect(failures[0].message).toMatch(/cursor/);
    expect(replies.map(errorCode)).toEqual(Array(4).fill('invalid_request'));
  });
});
