import { randomUUID } from 'node:crypto';

import { createTestDatabase, expectEventually, type TestDatabase, uniqueId } from '@optralis/testing';
import { Client } from 'pg';

import { report, startStorageTestApp, type StorageTestApp } from '../../test/storage-test-app';
import { RollupService } from './rollup.service';

interface RollupRow {
  name: string;
  bucket: Date;
  min: number;
  max: number;
  sum: number;
  count: string;
  last: number;
  last_time: Date;
}

const HOUR_MS = 3_600_000;

describe(RollupService.name, () => {
  let database: TestDatabase;
  let storage: StorageTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    storage = await startStorageTestApp({ databaseUrl: database.url, namespace: uniqueId('n') });
    await storage.relay.stop();
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  const rollup = (table: 'rollup_1m' | 'rollup_1h', tenantId: string) =>
    storage.query<RollupRow>(
      `SELECT se."name", r."bucket", r."min", r."max", r."sum", r."count", r."last", r."last_time"
       FROM "ingest"."${table}" r
       JOIN "ingest"."series" se ON se."id" = r."series_id"
       JOIN "ingest"."hosts" h ON h."key" = se."host_key"
       WHERE h."tenant_id" = $1
       ORDER BY se."name" COLLATE "C", r."bucket"`,
      [tenantId],
    );
  /** One report per point: `[second offset from base, cpu value, mem value]`. */
  const points = (tenantId: string, base: number, values: [number, number, number][]) =>
    values.map(([second, cpu, mem]) =>
      report({
        tenantId,
        hostId: 'r1',
        time: new Date(base + second * 1000),
        samples: [
          { name: 'cpu', value: cpu },
          { name: 'mem', value: mem },
        ],
      }),
    );
  const row = (name: string, bucket: number, values: [number, number, number, number, number, number]) => ({
    name,
    bucket: new Date(bucket),
    min: values[0],
    max: values[1],
    sum: values[2],
    count: String(values[3]),
    last: values[4],
    last_time: new Date(values[5]),
  });

  it('should fold exact min, max, sum, count and last when batches arrive out of time order over two runs', async () => {
    const tenantId = randomUUID();
    const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
    const minute = hour + 10 * 60_000;

    await storage.writer.write(
      points(tenantId, minute, [
        [30, 3, 30],
        [45, 2, 20],
        [90, 7, 70],
      ]),
    );
    const first = await storage.rollup.runOnce();
    await storage.writer.write(
      points(tenantId, minute, [
        [0, 1, 10],
        [15, 5, 50],
      ]),
    );
    await storage.writer.write(points(tenantId, hour + 75 * 60_000, [[0, -4, 0.5]]));
    const second = await storage.rollup.runOnce();

    expect(first).toMatchObject({ batches: 1, points: 6 });
    expect(second).toMatchObject({ batches: 2, points: 6 });
    const s = (seconds: number) => minute + seconds * 1000;
    expect(await rollup('rollup_1m', tenantId)).toEqual([
      row('cpu', minute, [1, 5, 11, 4, 2, s(45)]),
      row('cpu', minute + 60_000, [7, 7, 7, 1, 7, s(90)]),
      row('cpu', hour + 75 * 60_000, [-4, -4, -4, 1, -4, hour + 75 * 60_000]),
      row('mem', minute, [10, 50, 110, 4, 20, s(45)]),
      row('mem', minute + 60_000, [70, 70, 70, 1, 70, s(90)]),
      row('mem', hour + 75 * 60_000, [0.5, 0.5, 0.5, 1, 0.5, hour + 75 * 60_000]),
    ]);
    expect(await rollup('rollup_1h', tenantId)).toEqual([
      row('cpu', hour, [1, 7, 18, 5, 7, s(90)]),
      row('cpu', hour + HOUR_MS, [-4, -4, -4, 1, -4, hour + 75 * 60_000]),
      row('mem', hour, [10, 70, 180, 5, 70, s(90)]),
      row('mem', hour + HOUR_MS, [0.5, 0.5, 0.5, 1, 0.5, hour + 75 * 60_000]),
    ]);
    const [pending] = await storage.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "ingest"."write_batches"`,
    );
    expect(pending.count).toBe(0);
  });

  it('should fold late data from days ago into its own buckets', async () => {
    const tenantId = randomUUID();
    const late = Math.floor((Date.now() - 3 * 86_400_000) / 60_000) * 60_000;

    await storage.writer.write(
      points(tenantId, late, [
        [5, 1, 2],
        [35, 3, 4],
      ]),
    );
    await storage.rollup.runOnce();

    const minutes = await rollup('rollup_1m', tenantId);
    expect(minutes).toEqual([
      row('cpu', late, [1, 3, 4, 2, 3, late + 35_000]),
      row('mem', late, [2, 4, 6, 2, 4, late + 35_000]),
    ]);
    const hours = await rollup('rollup_1h', tenantId);
    expect(hours.map((hourRow) => [hourRow.name, hourRow.bucket.getTime(), hourRow.count])).toEqual([
      ['cpu', Math.floor(late / HOUR_MS) * HOUR_MS, '2'],
      ['mem', Math.floor(late / HOUR_MS) * HOUR_MS, '2'],
    ]);
  });

  it('should fold a batch committed after a newer one exactly once when two writers interleave', async () => {
    const tenantId = randomUUID();
    const minute = Math.floor((Date.now() - HOUR_MS) / 60_000) * 60_000;
    const one = (hostId: string, second: number, value: number) =>
      report({ tenantId, hostId, time: new Date(minute + second * 1000), samples: [{ name: 'v', value }] });
    await storage.writer.write([one('slow', 0, 1), one('fast', 0, 10)]);
    await storage.rollup.runOnce();

    // Holding the slow host's latest row stalls its next write after its batch id was drawn.
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    let slowWrite: Promise<unknown> | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT 1 FROM "ingest"."latest" l JOIN "ingest"."hosts" h ON h."key" = l."host_key"
         WHERE h."tenant_id" = $1 AND h."host_id" = 'slow' FOR UPDATE OF l`,
        [tenantId],
      );
      slowWrite = storage.writer.write([one('slow', 20, 2)]);
      await expectEventually(async () => {
        const waiting = await blocker.query(
          `SELECT 1 FROM pg_stat_activity WHERE "application_name" = 'optralis-ingest' AND "wait_event_type" = 'Lock'`,
        );
        expect(waiting.rowCount).toBe(1);
      });
      await storage.writer.write([one('fast', 20, 20)]);
      const between = await storage.rollup.runOnce();
      await blocker.query('COMMIT');
      await slowWrite;
      const after = await storage.rollup.runOnce();

      expect(between.batches).toBe(1);
      expect(after.batches).toBe(1);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await slowWrite?.catch(() => undefined);
    }
    const rows = await storage.query<{ host_id: string; sum: number; count: string; last: number }>(
      `SELECT h."host_id", r."sum", r."count", r."last" FROM "ingest"."rollup_1m" r
       JOIN "ingest"."series" se ON se."id" = r."series_id" JOIN "ingest"."hosts" h ON h."key" = se."host_key"
       WHERE h."tenant_id" = $1 ORDER BY h."host_id"`,
      [tenantId],
    );
    const batches = await storage.query<{ host_id: string; batch_id: string }>(
      `SELECT h."host_id", s."batch_id" FROM "ingest"."samples" s JOIN "ingest"."hosts" h ON h."key" = s."host_key"
       WHERE h."tenant_id" = $1 AND s."time" = $2 ORDER BY s."batch_id"`,
      [tenantId, new Date(minute + 20_000)],
    );
    expect(batches.map((batch) => batch.host_id)).toEqual(['slow', 'fast']);
    expect(rows).toEqual([
      { host_id: 'fast', sum: 30, count: '2', last: 20 },
      { host_id: 'slow', sum: 3, count: '2', last: 2 },
    ]);
  });
});
