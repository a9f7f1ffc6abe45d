import { randomUUID } from 'node:crypto';

import { createTestDatabase, type TestDatabase, uniqueId } from '@optralis/testing';

import {
  report,
  startStorageTestApp,
  STORED_SAMPLES,
  type StorageTestApp,
  type StoredSample,
} from '../../test/storage-test-app';
import { SampleWriterService } from './sample-writer.service';

describe(SampleWriterService.name, () => {
  let database: TestDatabase;
  let storage: StorageTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    storage = await startStorageTestApp({
      databaseUrl: database.url,
      namespace: uniqueId('n'),
      env: { INGEST_MAX_SERIES_PER_HOST: '5' },
    });
    await storage.relay.stop();
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  const stored = (tenantId: string) => storage.query<StoredSample>(STORED_SAMPLES, [tenantId]);

  it('should store every sample of a batch and read them back when several hosts report', async () => {
    const tenantId = randomUUID();
    const time = new Date(Date.now() - 60_000);
    const reports = ['a', 'b', 'c'].map((hostId, index) =>
      report({
        tenantId,
        hostId,
        time,
        samples: [
          { name: 'cpu.usage_pct', value: 10 + index },
          { name: 'disk.used_pct', value: 50.25, labels: { mount: '/' } },
          { name: 'disk.used_pct', value: 75.5, labels: { mount: '/var' } },
        ],
      }),
    );

    const summary = await storage.writer.write(reports);

    expect(summary).toEqual({
      reports: 3,
      samplesStored: 9,
      samplesDropped: 0,
      duplicates: 0,
      newHosts: 3,
      events: 3,
    });
    const rows = await stored(tenantId);
    expect(rows.map((row) => [row.host_id, row.name, row.labels, row.value])).toEqual(
      ['a', 'b', 'c'].flatMap((hostId, index) => [
        [hostId, 'cpu.usage_pct', {}, 10 + index],
        [hostId, 'disk.used_pct', { mount: '/' }, 50.25],
        [hostId, 'disk.used_pct', { mount: '/var' }, 75.5],
      ]),
    );
    expect(rows.every((row) => row.time.getTime() === time.getTime())).toBe(true);
  });

  it('should store a batch once when it is written twice', async () => {
    const tenantId = randomUUID();
    const reports = [report({ tenantId, hostId: 'h1' }), report({ tenantId, hostId: 'h2' })];

    const first = await storage.writer.write(reports);
    const second = await storage.writer.write(reports);

    expect(first).toMatchObject({ samplesStored: 4, duplicates: 0, newHosts: 2 });
    expect(second).toMatchObject({ samplesStored: 0, duplicates: 4, newHosts: 0, events: 0 });
    expect(await stored(tenantId)).toHaveLength(4);
    const [batches] = await storage.query<{ rows: number }>(
      `SELECT count(*)::int AS "rows" FROM "ingest"."samples" s JOIN "ingest"."hosts" h ON h."key" = s."host_key"
       WHERE h."tenant_id" = $1`,
      [tenantId],
    );
    expect(batches.rows).toBe(2);
  });

  it('should keep the last value when a report repeats a series', async () => {
    const tenantId = randomUUID();

    await storage.writer.write([
      report({
        tenantId,
        samples: [
          { name: 'temp', value: 1, labels: { zone: 'a', rack: '1' } },
          { name: 'temp', value: 2, labels: { rack: '1', zone: 'a' } },
        ],
      }),
    ]);

    const rows = await stored(tenantId);
    expect(rows.map((row) => [row.name, row.labels, row.value])).toEqual([
      ['temp', { rack: '1', zone: 'a' }, 2],
    ]);
  });

  it('should drop and count new series beyond the per-host cap without failing the write', async () => {
    const tenantId = randomUUID();
    const samples = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => ({ name: `m.${from + index}`, value: from + index }));

    const first = await storage.writer.write([
      report({ tenantId, hostId: 'capped', samples: samples(0, 4) }),
    ]);
    const second = await storage.writer.write([
      report({ tenantId, hostId: 'capped', time: new Date(Date.now() + 1000), samples: samples(0, 8) }),
    ]);
    const third = await storage.writer.write([
      report({ tenantId, hostId: 'capped', time: new Date(Date.now() + 2000), samples: samples(6, 8) }),
    ]);

    const fourth = await storage.writer.write([
      report({ tenantId, hostId: 'capped', time: new Date(Date.now() + 3000), samples: samples(0, 8) }),
    ]);

    expect(first).toMatchObject({ samplesStored: 4, samplesDropped: 0 });
    expect(second).toMatchObject({ samplesStored: 5, samplesDropped: 3 });
    expect(third).toMatchObject({ samplesStored: 0, samplesDropped: 2 });
    expect(fourth).toMatchObject({ samplesStored: 5, samplesDropped: 3 });
    const [host] = await storage.query<{ series_count: number; series_dropped: string }>(
      `SELECT "series_count", "series_dropped" FROM "ingest"."hosts" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    expect(host).toEqual({ series_count: 5, series_dropped: '8' });
    const [series] = await storage.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "ingest"."series" se JOIN "ingest"."hosts" h ON h."key" = se."host_key"
       WHERE h."tenant_id" = $1`,
      [tenantId],
    );
    expect(series.count).toBe(5);
  });

  it('should share one series set when reports list the same series in another order', async () => {
    const tenantId = randomUUID();
    const a = { name: 'a', value: 1 };
    const b = { name: 'b', value: 2, labels: { k: 'v' } };

    await storage.writer.write([
      report({ tenantId, hostId: 'o', samples: [a, b] }),
      report({ tenantId, hostId: 'o', time: new Date(Date.now() + 1000), samples: [b, a] }),
    ]);

    const [sets] = await storage.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "ingest"."series_sets" ss JOIN "ingest"."hosts" h ON h."key" = ss."host_key"
       WHERE h."tenant_id" = $1`,
      [tenantId],
    );
    expect(sets.count).toBe(1);
    expect((await stored(tenantId)).map((row) => [row.name, row.value])).toEqual([
      ['a', 1],
      ['b', 2],
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('should round-trip hostile label values and odd metric names through the store', async () => {
    const tenantId = randomUUID();
    const hostile = {
      quote: `it's "quoted"`,
      backslash: 'C:\\path\\to\\{file}',
      comma: 'a,b,c',
      braces: '{1,2}',
      newline: 'line1\nline2\r\n\ttabbed',
      unicode: 'Zürich 東京 🚀',
      empty: '',
      copy: '\\.\n\\N',
    };
    const names = ['_odd.name:with-dash/and/slash', 'A', 'x_-.:/9'];

    const summary = await storage.writer.write([
      report({
        tenantId,
        hostName: 'host "with" \\ quotes,\nand newline',
        tags: ['env=prod', 'team:"core"'],
        samples: [
          ...names.map((name, index) => ({ name, value: index - 0.5 })),
          { name: 'labels.hostile', value: 1e-300, labels: hostile },
          { name: 'labels.nul', value: -1.5e300, labels: { 'key\u0000': 'nul\u0000byte', lone: '\uD800x' } },
        ],
      }),
    ]);

    expect(summary.samplesStored).toBe(5);
    const rows = await stored(tenantId);
    expect(rows.map((row) => [row.name, row.labels, row.value])).toEqual([
      ['A', {}, 0.5],
      ['_odd.name:with-dash/and/slash', {}, -0.5],
      ['labels.hostile', hostile, 1e-300],
      ['labels.nul', { 'key\uFFFD': 'nul\uFFFDbyte', lone: '\uFFFDx' }, -1.5e300],
      ['x_-.:/9', {}, 1.5],
    ]);
    const [host] = await storage.query<{ name: string; reported_tags: string[] }>(
      `SELECT "name", "reported_tags" FROM "ingest"."hosts" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    expect(host).toEqual({
      name: 'host "with" \\ quotes,\nand newline',
      reported_tags: ['env=prod', 'team:"core"'],
    });
  });

  it('should keep distinct series apart when their label keys are long enough to be hashed', async () => {
    const tenantId = randomUUID();
    const long = 'v'.repeat(1024);

    await storage.writer.write([
      report({
        tenantId,
        samples: [
          { name: 'big', value: 1, labels: { a: long, b: long, c: `${long}1` } },
          { name: 'big', value: 2, labels: { a: long, b: long, c: `${long}2` } },
        ],
      }),
    ]);

    const rows = await stored(tenantId);
    expect(rows.map((row) => [row.labels.c.slice(-1), row.value]).sort()).toEqual([
      ['1', 1],
      ['2', 2],
    ]);
  });

  it('should store late data inside the retention and refuse data older than it', async () => {
    const tenantId = randomUUID();
    const late = new Date(Date.now() - 3 * 86_400_000);
    const tooOld = new Date(Date.now() - 8 * 86_400_000);

    const summary = await storage.writer.write([
      report({ tenantId, hostId: 'late', time: late }),
      report({ tenantId, hostId: 'late', time: tooOld }),
    ]);

    expect(summary).toMatchObject({ samplesStored: 2, samplesDropped: 2 });
    const rows = await stored(tenantId);
    expect(rows.map((row) => row.time.getTime())).toEqual([late.getTime(), late.getTime()]);
  });

  it('should keep the newest row of each host and series set in latest when reports arrive out of order', async () => {
    const tenantId = randomUUID();
    const now = Date.now();
    const at = (offsetMs: number, value: number) =>
      report({ tenantId, hostId: 'l', time: new Date(now + offsetMs), samples: [{ name: 'x', value }] });

    await storage.writer.write([at(0, 1), at(2000, 3)]);
    await storage.writer.write([at(1000, 2)]);

    const latest = await storage.query<{ time: Date; values: number[] }>(
      `SELECT l."time", l."values" FROM "ingest"."latest" l JOIN "ingest"."hosts" h ON h."key" = l."host_key"
       WHERE h."tenant_id" = $1`,
      [tenantId],
    );
    expect(latest).toEqual([{ time: new Date(now + 2000), values: [3] }]);
  });

  it('should learn the report interval of a host and keep its newest name', async () => {
    const tenantId = randomUUID();
    const start = Date.now() - 120_000;
    const at = (seconds: number, hostName: string) =>
      report({ tenantId, hostId: 'paced', hostName, time: new Date(start + seconds * 1000) });

    await storage.writer.write([at(0, 'first')]);
    await storage.writer.write([at(30, 'second'), at(60, 'third')]);
    await storage.writer.write([at(45, 'late')]);

    const [host] = await storage.query<{ name: string; interval_seconds: number; interval_samples: number }>(
      `SELECT "name", "interval_seconds", "interval_samples" FROM "ingest"."hosts" WHERE "tenant_id" = $1`,
      [tenantId],
    );
    expect(host).toEqual({ name: 'third', interval_seconds: 30, interval_samples: 2 });
  });
});
