// npm run bench:alerting-memory — heap bytes per tracked series of one partition's evaluation state, for
// the target of under 1 KB. Fills a PartitionState of the BUILT alerting code the way
// ReportEvaluator does for anomaly rules: METRICS reports parsed from JSON, host presence, baselineKey →
// updateEwma, a share of series with an anomaly streak, dirty sets. Measured after a full GC: with the
// dirty sets full (between two checkpoints) and cleared (just after one), then taken apart to show where
// the bytes go. Needs node --expose-gc. Flags: --metrics=50 --series=100000,500000,1000000
// --streak-percent=5 (or BENCH_METRICS, BENCH_SERIES, BENCH_STREAK_PERCENT).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { agentHostId, agentHostName } from '../../ingest/bench/agent-payload.mjs';
import { ROOT } from '../../ingest/bench/bench-environment.mjs';
import { metricCatalogue, metricValue } from '../../ingest/bench/metric-catalogue.mjs';

const require = createRequire(import.meta.url);
const EVALUATION = path.join(ROOT, 'services', 'alerting', 'dist', 'evaluation');
// The tenant defaults (AnomalyDefaults) and a rule's own defaults (AnomalyRuleInput): what the evaluator's
// `parameters` hold for a rule that sets nothing; alpha is part of every baseline key.
const PARAMETERS = {
  zWarning: 2,
  zCritical: 3,
  alpha: 0.3,
  confirmSamples: 2,
  warmupSamples: 30,
  direction: 'both',
  minDeviation: 0,
};
const INTERVAL_MS = 10_000;

function readOptions(argv = process.argv.slice(2), env = process.env) {
  const flags = new Map(argv.map((argument) => argument.replace(/^--/, '').split('=', 2)));
  const read = (name, variable, fallback) => flags.get(name) ?? env[variable] ?? fallback;
  const options = {
    metrics: Number(read('metrics', 'BENCH_METRICS', '50')),
    series: read('series', 'BENCH_SERIES', '100000,500000,1000000').split(',').map(Number),
    streakPercent: Number(read('streak-percent', 'BENCH_STREAK_PERCENT', '5')),
  };
  const wrong =
    !Number.isInteger(options.metrics) ||
    options.metrics < 1 ||
    options.series.some((count) => !Number.isInteger(count) || count < options.metrics) ||
    !(options.streakPercent >= 0 && options.streakPercent <= 100);
  if (wrong || flags.has('help'))
    throw new Error(
      'usage: node --expose-gc services/alerting/bench/series-memory.bench.mjs [--metrics=N] ' +
        '[--series=N,N,…] [--streak-percent=P]  (each series count at least the metrics per host)',
    );
  return options;
}

function loadEvaluation() {
  const file = path.join(EVALUATION, 'partition-state.js');
  if (!fs.existsSync(file))
    throw new Error(
      `${path.relative(ROOT, file)} is missing: build first (npx nx run @optralis/alerting:build)`,
    );
  return {
    ...require(file),
    ...require(path.join(EVALUATION, 'detectors', 'ewma.js')),
    ...require(path.join(EVALUATION, 'series-key.js')),
  };
}

/** A METRICS message body as ingest publishes it for an agent report. */
function reportText({ tenantId, catalogue }, hostIndex, seq, timeMs) {
  const time = new Date(timeMs).toISOString();
  const hostId = agentHostId(hostIndex);
  return JSON.stringify({
    id: `agent:${tenantId}:${hostId}:${seq}`,
    tenantId,
    hostId,
    hostName: agentHostName(hostIndex),
    source: 'agent',
    seq,
    time,
    receivedAt: time,
    samples: catalogue.map((metric, index) => ({
      name: metric.name,
      ...(metric.labels ? { labels: metric.labels } : {}),
      value: metricValue(metric, hostIndex, index, timeMs),
    })),
    tags: ['bench', `zone-${hostIndex % 3}`],
  });
}

/** ReportEvaluator.presence, evaluate and anomaly (scoring aside) and updateBaselines, on one report. */
function fold(evaluation, { state, report, ruleIds, streakEvery, counter }) {
  const { baselineKey, hostKey, seriesKey, updateEwma } = evaluation;
  const receivedAt = Date.parse(report.receivedAt);
  const time = Date.parse(report.time);
  const presenceKey = hostKey(report.tenantId, report.hostId);
  let host = state.hosts.get(presenceKey);
  if (!host) {
    host = {
      tenantId: report.tenantId,
      hostId: report.hostId,
      hostName: report.hostName,
      tags: report.tags ?? [],
      lastSeenAt: receivedAt,
      lastReportTime: 0,
      intervalSeconds: 10,
    };
    state.hosts.set(presenceKey, host);
  } else if (receivedAt > host.lastSeenAt) {
    const gap = (receivedAt - host.lastSeenAt) / 1000;
    if (gap >= 0.5 && gap <= 3600) host.intervalSeconds = host.intervalSeconds * 0.8 + gap * 0.2;
    host.lastSeenAt = receivedAt;
    host.hostName = report.hostName;
    if (report.tags) host.tags = report.tags;
  }
  state.dirtyHosts.add(presenceKey);
  if (time >= host.lastReportTime) host.lastReportTime = time;

  for (const sample of report.samples) {
    const series = seriesKey(sample.name, sample.labels);
    const key = baselineKey(host.tenantId, host.hostId, PARAMETERS.alpha, series);
    const baseline = state.baselines.get(key);
    const streakKey = hostKey(host.tenantId, `${ruleIds.get(sample.name)}:${host.hostId}:${series}`);
    // Which series deviate is the noise's business: a fixed share of them carries a streak.
    const streak = streakEvery > 0 && counter.next++ % streakEvery === 0 ? 1 : 0;
    if (streak === 0) state.anomalyStreaks.delete(streakKey);
    else state.anomalyStreaks.set(streakKey, streak);
    const updated = updateEwma(baseline, sample.value, PARAMETERS, time);
    if (updated !== baseline) state.baselines.set(key, updated);
    state.dirtyBaselines.add(key);
  }
}

function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** One PartitionState with `hosts` × metrics series after two reports per host; the bytes it holds. */
function measure(evaluation, { hosts, catalogue, streakPercent }) {
  const fleet = { tenantId: randomUUID(), catalogue };
  const ruleIds = new Map(catalogue.map((metric) => [metric.name, randomUUID()]));
  const streakEvery = streakPercent > 0 ? Math.round(100 / streakPercent) : 0;
  const counter = { next: 0 };
  const empty = heapAfterGc();
  let state = new evaluation.PartitionState(0);
  const start = Date.now() - 2 * INTERVAL_MS;
  for (let round = 1; round <= 2; round++) {
    for (let hostIndex = 0; hostIndex < hosts; hostIndex++) {
      const report = JSON.parse(reportText(fleet, hostIndex, round, start + round * INTERVAL_MS));
      // The first report of a host has no baseline to score against: no streak yet.
      fold(evaluation, { state, report, ruleIds, streakEvery: round === 1 ? 0 : streakEvery, counter });
    }
    // CheckpointRepository.save clears the dirty sets; the second round fills them again.
    if (round === 1) for (const set of [state.dirtyBaselines, state.dirtyHosts]) set.clear();
  }
  const series = state.trackedSeries();
  const figures = { series, hosts, streakEntries: state.anomalyStreaks.size, full: heapAfterGc() - empty };
  let before = figures.full;
  const peel = (label, step) => {
    step();
    const now = heapAfterGc() - empty;
    figures[label] = before - now;
    before = now;
  };
  peel('dirtySets', () => [state.dirtyBaselines, state.dirtyHosts].forEach((set) => set.clear()));
  figures.afterCheckpoint = before;
  peel('streaks', () => state.anomalyStreaks.clear());
  peel('presence', () => state.hosts.clear());
  const shared = { mean: 0.5, variance: 0.5, count: 2, lastTime: start + 0.5 };
  peel('ewmaStates', () => {
    for (const key of state.baselines.keys()) state.baselines.set(key, shared);
  });
  // Filled by push: `new Array(n)` of this size would be a dictionary, not the packed array measured.
  let keys = [];
  for (let slot = 0; slot < series; slot++) keys.push(0);
  const withArray = heapAfterGc() - empty;
  const arrayBytes = withArray - before;
  before = withArray;
  let index = 0;
  for (const key of state.baselines.keys()) keys[index++] = key;
  peel('mapTable', () => state.baselines.clear());
  peel('keys', () => (keys = undefined));
  figures.keys -= arrayBytes;
  figures.keyLength = baselineKeyLength(evaluation, fleet, catalogue);
  state = undefined;
  figures.rest = figures.full - figures.dirtySets - figures.streaks - figures.presence;
  figures.rest -= figures.ewmaStates + figures.mapTable + figures.keys;
  return figures;
}

function baselineKeyLength(evaluation, fleet, catalogue) {
  let total = 0;
  for (const metric of catalogue) {
    const series = evaluation.seriesKey(metric.name, metric.labels);
    total += evaluation.baselineKey(fleet.tenantId, agentHostId(0), PARAMETERS.alpha, series).length;
  }
  return total / catalogue.length;
}

function printTable(results) {
  const perSeries = (bytes, result) => Math.round(bytes / result.series).toLocaleString('en');
  const rows = [
    ['tracked series (baselines)', (result) => result.series.toLocaleString('en')],
    ['hosts', (result) => result.hosts.toLocaleString('en')],
    ['anomaly streak entries', (result) => result.streakEntries.toLocaleString('en')],
    ['heap MiB, dirty sets full', (result) => (result.full / 1048576).toFixed(1)],
    ['bytes/series, dirty sets full', (result) => perSeries(result.full, result)],
    ['bytes/series, after a checkpoint', (result) => perSeries(result.afterCheckpoint, result)],
    ['  baseline keys (strings)', (result) => perSeries(result.keys, result)],
    ['  baselines Map table', (result) => perSeries(result.mapTable, result)],
    ['  EwmaState objects', (result) => perSeries(result.ewmaStates, result)],
    ['  host presence (÷ series)', (result) => perSeries(result.presence, result)],
    ['  anomaly streaks (÷ series)', (result) => perSeries(result.streaks, result)],
    ['  dirty sets (÷ series)', (result) => perSeries(result.dirtySets, result)],
    ['  unaccounted', (result) => perSeries(result.rest, result)],
    ['mean baseline key length (chars)', (result) => result.keyLength.toFixed(0)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows)
    console.log(`  ${label.padEnd(width)}  ${results.map((result) => value(result).padStart(11)).join('')}`);
}

function main() {
  const options = readOptions();
  if (typeof globalThis.gc !== 'function')
    throw new Error('run with node --expose-gc (npm run bench:alerting-memory)');
  const evaluation = loadEvaluation();
  const catalogue = metricCatalogue(options.metrics);
  console.log(
    `alerting series memory: Node ${process.version}, ${options.metrics} metrics per host (one anomaly rule per ` +
      `metric name, alpha ${PARAMETERS.alpha}), ${options.streakPercent} % of series with a streak, two reports per host`,
  );
  const results = [];
  for (const series of options.series) {
    const hosts = Math.ceil(series / options.metrics);
    const started = Date.now();
    results.push(measure(evaluation, { hosts, catalogue, streakPercent: options.streakPercent }));
    console.log(
      `  ${series.toLocaleString('en')} series filled and measured in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  console.log('\n=== Results (heapUsed after full GC, relative to the empty state) ===');
  printTable(results);
  console.log(
    [
      '\nThe parts are what the heap shrank by when each was dropped in turn (dirty sets, streaks, presence,',
      'EwmaState objects, the Map, the keys); target: under 1,024 bytes per tracked series.',
    ].join('\n'),
  );
}

try {
  main();
} catch (error) {
  process.exitCode = 1;
  console.error(`\nseries memory benchmark failed: ${error.message}`);
}
