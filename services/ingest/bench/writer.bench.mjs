// Storage throughput: SampleWriterService.write of batches of 3,000 reports × 50 metrics on 2 connections at
// once, then the rollup job over what was written. Needs the build (tsc -p services/ingest/tsconfig.build.json)
// and the local Postgres; uses a database of its own, dropped at the end.
//   BENCH_SECONDS (20)  BENCH_HOSTS (10000)  BENCH_BATCH (3000)  BENCH_WRITERS (2)  BENCH_ROLLUP_MINUTES (3)
//   BENCH_CODEC_ONLY (only the COPY text encoding)  BENCH_KEEP (keep the database)
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { NestFactory } = require('@nestjs/core');
const { loadConfig } = require('@optralis/config');
const { DatabaseService } = require('@optralis/db');
const { PlatformModule } = require('@optralis/service-kit');
const { createTestDatabase } = require('@optralis/testing');
const { DataSource } = require('typeorm');
const { IngestEnv } = require('../dist/config');
const { IngestConfigModule } = require('../dist/ingest.config.provider');
const { ingestMigrations } = require('../dist/migrations');
const { StorageModule } = require('../dist/storage/storage.module');
const { SampleWriterService } = require('../dist/storage/sample-writer.service');
const { RollupService } = require('../dist/storage/rollup.service');
const { EventRelayService } = require('../dist/storage/event-relay.service');
const { PartitionService } = require('../dist/storage/partition.service');
const { encodeSampleRows } = require('../dist/storage/copy-text');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 3_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 2);
const METRICS = 50;
const INTERVAL_MS = 10_000;
const MINUTES = Number(process.env.BENCH_ROLLUP_MINUTES ?? 3);

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const quantile = (values, q) =>
  values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

/** 50 metrics like an agent's: 30 plain, 20 with a label (cores, mounts, interfaces). */
function samples(host, round) {
  const result = [];
  for (let index = 0; index < 30; index++)
    result.push({ name: `node.metric_${index}`, value: ((host * 7 + index * 13 + round) % 1000) / 10 });
  for (let index = 0; index < 8; index++)
    result.push({ name: 'cpu.usage_pct', value: (round + index) % 100, labels: { core: String(index) } });
  for (const mount of ['/', '/var', '/home', '/srv'])
    result.push({ name: 'disk.used_pct', value: (host + round) % 100, labels: { mount, device: 'sda' } });
  for (const iface of ['eth0', 'eth1', 'lo', 'docker0']) {
    result.push({ name: 'net.rx_bytes', value: round * 1500 + host, labels: { interface: iface } });
    result.push({ name: 'net.tx_bytes', value: round * 900 + host, labels: { interface: iface } });
  }
  return result;
}

const tenants = Array.from({ length: 10 }, () => randomUUID());
const start = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
let cursor = 0;
/** The next batch of reports, host after host; every fleet round is one report interval later. */
function nextBatch(size = BATCH) {
  const reports = [];
  for (let index = 0; index < Math.min(size, BATCH); index++, cursor++) {
    const host = cursor % HOSTS;
    const round = Math.floor(cursor / HOSTS);
    const time = new Date(start + round * INTERVAL_MS + (host % 1000)).toISOString();
    reports.push({
      id: randomUUID(),
      tenantId: tenants[host % tenants.length],
      hostId: `host-${host}`,
      hostName: `host-${host}.example.com`,
      source: 'agent',
      time,
      receivedAt: time,
      tags: ['bench'],
      samples: samples(host, round),
    });
  }
  return reports;
}

function copyCodec() {
  const rows = Array.from({ length: BATCH }, (_, index) => ({
    hostKey: index + 1,
    time: new Date(start + index).toISOString(),
    setId: index + 1,
    values: samples(index, 1).map((sample) => sample.value),
  }));
  const runs = 200;
  const started = performance.now();
  let bytes = 0;
  for (let run = 0; run < runs; run++) bytes += encodeSampleRows(rows).length;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `COPY text encoding: ${((runs * BATCH * METRICS) / seconds / 1e6).toFixed(1)} M samples/s, ` +
      `${(bytes / runs / 1024).toFixed(0)} KiB per ${BATCH}-row batch, ${((seconds / runs) * 1000).toFixed(2)} ms per batch`,
  );
}

copyCodec();
if (process.env.BENCH_CODEC_ONLY) process.exit(0);

const database = await createTestDatabase();
const config = loadConfig(IngestEnv, {
  DATABASE_URL: database.url,
  NATS_NAMESPACE: `bench${randomBytes(4).toString('hex')}`,
  LOG_LEVEL: 'warn',
  INGEST_WRITER_ENABLED: 'false',
  INGEST_ROLLUP_INTERVAL_SECONDS: '3600',
  INGEST_STATUS_SWEEP_SECONDS: '3600',
  INGEST_MAX_SERIES_PER_HOST: '1000',
});
const app = await NestFactory.createApplicationContext(
  {
    module: class BenchModule {},
    imports: [
      PlatformModule.forRoot({ service: 'ingest', version: 'bench', config, migrations: ingestMigrations }),
      IngestConfigModule.forRoot(config),
      StorageModule.forRoot(config),
    ],
  },
  { logger: ['warn', 'error'] },
);
try {
  await app.init();
  await app.get(DatabaseService).whenReady();
  await app.get(EventRelayService).stop();
  await app.get(PartitionService).runOnce();
  const writer = app.get(SampleWriterService);
  const rollup = app.get(RollupService);
  const dataSource = app.get(DataSource);

  // Cold: every host and series is new (registry inserts, dictionary inserts, registration events).
  let started = performance.now();
  while (cursor < HOSTS) await writer.write(nextBatch());
  let seconds = (performance.now() - started) / 1000;
  console.log(
    `cold (registering ${HOSTS} hosts, ${HOSTS * METRICS} series): ${((HOSTS * METRICS) / seconds / 1000).toFixed(0)} k samples/s`,
  );
  await dataSource.query('TRUNCATE "ingest"."event_outbox"');
  await rollup.runOnce();

  // Steady state: WRITERS batches in flight at once, each on its own pooled connection.
  const durations = [];
  let stored = 0;
  let batches = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const baseline = process.memoryUsage().rss;
  started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < deadline) {
        const reports = nextBatch();
        const began = performance.now();
        const summary = await writer.write(reports);
        durations.push(performance.now() - began);
        stored += summary.samplesStored;
        batches++;
      }
    }),
  );
  seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const memory = process.memoryUsage();
  console.log(
    `steady (${WRITERS} writers, ${BATCH} reports × ${METRICS} metrics per batch): ${(stored / seconds / 1000).toFixed(0)} k samples/s, ` +
      `${((batches * BATCH) / seconds).toFixed(0)} reports/s, batch p50 ${quantile(durations, 0.5).toFixed(0)} ms / ` +
      `p99 ${quantile(durations, 0.99).toFixed(0)} ms over ${batches} batches`,
  );
  console.log(
    `memory: rss ${mb(memory.rss)} (steady phase started at ${mb(baseline)}), heap used ${mb(memory.heapUsed)}${globalThis.gc ? ' after a full GC' : ' (run with --expose-gc for the retained heap)'}`,
  );

  // Rollup as it runs in production: each run folds the minute that just ended (hour rows merged once a run).
  let started2 = performance.now();
  const caughtUp = await rollup.runOnce();
  console.log(
    `rollup catch-up after the steady phase: ${caughtUp.points} samples of ${caughtUp.batches} batches in ` +
      `${((performance.now() - started2) / 1000).toFixed(1)} s`,
  );
  const minuteRuns = [];
  const roundsPerMinute = 60_000 / INTERVAL_MS;
  const minuteStart = () => (Math.floor(cursor / HOSTS / roundsPerMinute) + 1) * roundsPerMinute * HOSTS;
  for (const target = minuteStart(); cursor < target; ) await writer.write(nextBatch(target - cursor));
  await rollup.runOnce();
  for (let minute = 0; minute < MINUTES; minute++) {
    const target = minuteStart();
    while (cursor < target) {
      await Promise.all(
        Array.from({ length: WRITERS }, () =>
          cursor < target ? writer.write(nextBatch(target - cursor)) : undefined,
        ),
      );
    }
    started2 = performance.now();
    const folded = await rollup.runOnce();
    minuteRuns.push({ seconds: (performance.now() - started2) / 1000, ...folded });
  }
  const perMinute = minuteRuns.reduce((sum, run) => sum + run.seconds, 0) / minuteRuns.length;
  const points = minuteRuns.reduce((sum, run) => sum + run.points, 0) / minuteRuns.length;
  console.log(
    `rollup: ${perMinute.toFixed(2)} s per minute of data (${HOSTS} hosts × ${METRICS} metrics every ${INTERVAL_MS / 1000} s = ` +
      `${(points / 1e6).toFixed(2)} M samples/min, ${((perMinute / points) * 1e6).toFixed(2)} µs per sample; ` +
      `runs: ${minuteRuns.map((run) => `${run.seconds.toFixed(1)} s/${run.minuteRows} 1m + ${run.hourRows} 1h rows`).join(', ')})`,
  );
  const [size] = await dataSource.query(
    `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS "size" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'ingest.samples'::regclass`,
  );
  console.log(`ingest.samples on disk: ${size.size} for ${(stored + HOSTS * METRICS) / 1e6} M samples`);
} finally {
  await app.close();
  if (process.env.BENCH_KEEP) console.log(`kept database ${database.name}`);
  else await database.drop();
}
