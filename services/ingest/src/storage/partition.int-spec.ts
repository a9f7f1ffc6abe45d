import { randomUUID } from 'node:crypto';

import { createTestDatabase, type TestDatabase, uniqueId } from '@optralis/testing';

import { report, startStorageTestApp, type StorageTestApp } from '../../test/storage-test-app';
import { partitionFor, PARTITIONED_TABLES } from './partition-plan';
import { PartitionService } from './partition.service';

const DAY_MS = 86_400_000;
const [SAMPLES, ROLLUP_1M, ROLLUP_1H] = PARTITIONED_TABLES;

describe(PartitionService.name, () => {
  let database: TestDatabase;
  let storage: StorageTestApp;

  beforeEach(async () => {
    database = await createTestDatabase();
    storage = await startStorageTestApp({
      databaseUrl: database.url,
      namespace: uniqueId('n'),
      env: { INGEST_RETENTION_RAW_DAYS: '3', INGEST_RETENTION_1M_DAYS: '5', INGEST_RETENTION_1H_DAYS: '40' },
    });
    await storage.relay.stop();
  });

  afterEach(async () => {
    await storage?.close();
    await database?.drop();
  });

  const partitions = async (table: string) =>
    (
      await storage.query<{ name: string }>(
        `SELECT c."relname" AS "name" FROM pg_inherits i JOIN pg_class c ON c."oid" = i."inhrelid"
         WHERE i."inhparent" = $1::regclass ORDER BY c."relname"`,
        [`ingest.${table}`],
      )
    ).map((row) => row.name);
  const names = (spec: (typeof PARTITIONED_TABLES)[number], fromMs: number, toMs: number, stepMs: number) => {
    const result = new Set<string>();
    for (let time = fromMs; time <= toMs; time += stepMs) result.add(partitionFor(spec, time).name);
    return [...result].sort();
  };

  it('should create partitions from the retention horizon to two days ahead when the database is ready', async () => {
    const now = Date.now();

    await storage.partitions.runOnce();

    expect(await partitions('samples')).toEqual(names(SAMPLES, now - 3 * DAY_MS, now + 2 * DAY_MS, DAY_MS));
    expect(await partitions('rollup_1m')).toEqual(
      names(ROLLUP_1M, now - 5 * DAY_MS, now + 2 * DAY_MS, DAY_MS),
    );
    expect(await partitions('rollup_1h')).toEqual(
      names(ROLLUP_1H, now - 40 * DAY_MS, now + 2 * DAY_MS, DAY_MS),
    );
    const [index] = await storage.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM pg_indexes WHERE "schemaname" = 'ingest' AND "tablename" = $1`,
      [partitionFor(SAMPLES, now).name],
    );
    expect(index.count).toBe(3);
  });

  it('should drop partitions entirely past their retention and create the ones ahead as time passes', async () => {
    await storage.partitions.runOnce();
    await storage.query(
      `CREATE TABLE "ingest"."samples_20200101" PARTITION OF "ingest"."samples"
       FOR VALUES FROM ('2020-01-01T00:00:00Z') TO ('2020-01-02T00:00:00Z')`,
    );
    const now = Date.now();
    const later = now + 2 * DAY_MS;

    const done = await storage.partitions.runOnce(later);

    expect(done?.dropped).toEqual(
      expect.arrayContaining(['samples_20200101', partitionFor(SAMPLES, now - 3 * DAY_MS).name]),
    );
    expect(done?.created).toEqual(expect.arrayContaining([partitionFor(SAMPLES, later + 2 * DAY_MS).name]));
    expect(await partitions('samples')).toEqual(
      names(SAMPLES, later - 3 * DAY_MS, later + 2 * DAY_MS, DAY_MS),
    );
    expect(await partitions('rollup_1m')).toEqual(
      names(ROLLUP_1M, later - 5 * DAY_MS, later + 2 * DAY_MS, DAY_MS),
    );
    expect(await partitions('rollup_1h')).toEqual(
      names(ROLLUP_1H, later - 40 * DAY_MS, later + 2 * DAY_MS, DAY_MS),
    );
  });

  it('should let one instance maintain partitions at a time when two run at once', async () => {
    await storage.partitions.runOnce();

    const runs = await Promise.all([storage.partitions.maintain(), storage.partitions.maintain()]);

    expect(runs.filter((run) => run === undefined)).toHaveLength(1);
    expect(runs.find((run) => run !== undefined)).toEqual({ created: [], dropped: [] });
  });

  it('should create missing partitions and retry when a write or a rollup falls outside every partition', async () => {
    await storage.partitions.runOnce();
    const tenantId = randomUUID();
    const earlier = new Date(Date.now() - 2 * DAY_MS);
    const samplesPartition = partitionFor(SAMPLES, earlier.getTime()).name;
    const minutePartition = partitionFor(ROLLUP_1M, earlier.getTime()).name;
    await storage.query(`DROP TABLE "ingest"."${samplesPartition}"`);

    const summary = await storage.writer.write([report({ tenantId, time: earlier })]);
    await storage.query(`DROP TABLE "ingest"."${minutePartition}"`);
    const folded = await storage.rollup.runOnce();

    expect(summary.samplesStored).toBe(2);
    expect(folded.points).toBe(2);
    expect(await partitions('samples')).toContain(samplesPartition);
    expect(await partitions('rollup_1m')).toContain(minutePartition);
  });
});
