// npm run bench:alerting — the built alerting service on the running NATS and Postgres, in a throw-away
// database and NATS namespace, fed a simulated fleet while one host at a time breaches a threshold rule
// that notifies a signed webhook. The fleet's reports go straight onto METRICS, or with --through-ingest
// as agent reports through the real auth and ingest services. Measures detection latency (breaching
// report's time → webhook received), whether evaluation keeps up with the stream, throughput, CPU and
// memory. Flags: see bench-options.mjs.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

import { connect } from 'nats';

import {
  Cleanup,
  createNamespace,
  ensureInfrastructure,
  NATS_URL,
  randomId,
} from '../../ingest/bench/bench-environment.mjs';
import { CpuMeter, peakRssBytes, pidsNamed, procAvailable } from '../../ingest/bench/process-usage.mjs';
import { describeExit } from '../../ingest/bench/service-process.mjs';
import { configure, countAlerts, explainMissing } from './bench-alerts.mjs';
import { parseOptions, USAGE } from './bench-options.mjs';
import {
  DetectionMatcher,
  evaluationPosition,
  metricValue,
  printMissing,
  printRows,
  resultRows,
} from './bench-results.mjs';
import {
  checkBuilt,
  createBenchDatabase,
  rpcCaller,
  rssBytes,
  scrape,
  startAlerting,
  waitFor,
} from './bench-setup.mjs';
import { startIngestLoad } from './ingest-load.mjs';
import { BREACH_METRIC, BreachInjector, directLoad } from './metrics-load.mjs';
import { startWebhookReceiver } from './webhook-receiver.mjs';

const cleanup = new Cleanup();
const PROGRESS_EVERY_MS = 10_000;
const SHOWN_SERVICE_LINES = 8;

function assertAlive(services, when) {
  for (const service of services)
    if (service.exit) throw new Error(`${describeExit(service)} ${when}; last output:\n${service.output()}`);
}

/** Prints, while the load runs, how far evaluation is behind the stream and what was detected so far. */
function watchEvaluation({ service, streamEnd, injector, matcher }) {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      // Position first: read the other way round, reports published in between would look evaluated.
      const taken = evaluationPosition(await scrape(service)) ?? NaN;
      const end = await streamEnd();
      console.log(
        `  alerting: ${taken.toLocaleString('en')} of ${end.toLocaleString('en')} METRICS reports taken ` +
          `(${(end - taken).toLocaleString('en')} behind), ${injector.injections.length} breaches, ${matcher.detected} notified`,
      );
    } catch (error) {
      console.log(`  alerting: progress not read: ${error.message}`);
    } finally {
      busy = false;
    }
  }, PROGRESS_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}

async function main() {
  const options = parseOptions();
  if (options.help) return console.log(USAGE);
  console.log(
    `alerting benchmark${options.throughIngest ? ' through ingest' : ''}: ${os.cpus().length} CPUs, Node ${process.version}, ` +
      `${options.hosts} hosts × ${options.metrics} metrics every ${options.intervalMs} ms for ${options.seconds} s ` +
      `(after ${options.warmupSeconds} s of warm-up), a ${BREACH_METRIC} breach every ${options.breachEveryMs} ms, ` +
      `${options.partitions} partitions, anomaly minDeviation ${options.anomalyMinDeviation}`,
  );
  if (!procAvailable) console.log('/proc is missing: CPU and memory figures will be absent');
  checkBuilt(options);

  await ensureInfrastructure();
  const database = await createBenchDatabase();
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const nats = createNamespace();
  cleanup.add(`delete NATS streams of ${nats.namespace}`, async () => {
    const deleted = await nats.cleanup();
    console.log(`cleanup: deleted ${deleted.length} NATS streams of namespace ${nats.namespace}`);
  });
  console.log(`database ${database.name}, NATS namespace ${nats.namespace}`);

  const secret = randomBytes(24).toString('hex');
  const receiver = await startWebhookReceiver(secret);
  cleanup.add('close webhook receiver', () => receiver.close());

  const service = await startAlerting({
    cleanup,
    env: {
      DATABASE_URL: database.url,
      NATS_NAMESPACE: nats.namespace,
      OPTRALIS_OUTBOUND_ALLOW_PRIVATE: 'true',
      ALERTING_SECRET_KEY: randomBytes(32).toString('base64'),
      METRICS_PARTITIONS: String(options.partitions),
    },
  });
  const connection = await connect({
    servers: NATS_URL,
    name: `bench-alerting-${nats.namespace}`,
    noAsyncTraces: true,
  });
  cleanup.add('close NATS connection', () => connection.close());
  const manager = await connection.jetstreamManager();
  const streamName = `${nats.namespace.toUpperCase()}_METRICS`;
  const streamEnd = async () => (await manager.streams.info(streamName)).state.last_seq;
  await waitFor(() => manager.streams.info(streamName), {
    timeoutMs: 30_000,
    failure: (error) =>
      `stream ${streamName} was not provisioned by alerting within 30 s (${error?.message ?? 'absent'})`,
  });
  await waitFor(
    async () => metricValue(await scrape(service), 'alerting_owned_partitions') === options.partitions,
    {
      timeoutMs: 30_000,
      failure: (error) =>
        `alerting did not take all ${options.partitions} METRICS partitions within 30 s ` +
        `(alerting_owned_partitions${error ? `: ${error.message}` : ' below target or absent'})`,
    },
  );

  const load = options.throughIngest
    ? await startIngestLoad({ database, namespace: nats.namespace, cleanup, options })
    : directLoad({
        jetstream: connection.jetstream(),
        options,
        tenantId: `bench-${randomId(6)}`,
        namespace: nats.namespace,
      });
  const services = [service, ...load.services];
  const actor = { userId: 'bench-admin', tenantId: load.tenantId, role: 'admin' };
  const call = rpcCaller(connection, nats.namespace);
  const { threshold, anomaly } = await configure(call, actor, {
    webhookUrl: receiver.url,
    secret,
    minDeviation: options.anomalyMinDeviation,
  });

  const rssIdle = rssBytes(service.pid);
  console.log(`\nwarm-up: ${options.warmupSeconds} s, not counted`);
  const warmUpRounds = await load.warmUp(options.warmupSeconds);
  await waitFor(async () => metricValue(await scrape(service), 'alerting_evaluations_total') > 0, {
    timeoutMs: 15_000,
    failure: () =>
      'alerting evaluated no rule in the warm-up (alerting_evaluations_total is 0 or absent): ' +
      'the METRICS reports or the rules are not reaching the evaluator',
  });
  assertAlive(services, 'during the warm-up');

  const meter = new CpuMeter({
    alerting: () => [service.pid],
    ...load.cpuGroups,
    'nats-server': () => pidsNamed('nats-server'),
    postgres: () => pidsNamed('postgres'),
  });
  const snapshot = async () => ({
    at: Date.now(),
    metrics: await scrape(service),
    streamEnd: await streamEnd(),
    cpu: await meter.read(),
    rss: rssBytes(service.pid),
  });
  const injector = new BreachInjector(options.hosts);
  const matcher = new DetectionMatcher(threshold.id, injector.injections);
  receiver.onNotification((entry) => matcher.add(entry));

  console.log(`\nmeasured run: ${options.seconds} s`);
  const start = await snapshot();
  const watch = watchEvaluation({ service, streamEnd, injector, matcher });
  const result = await load
    .run({
      seconds: options.seconds,
      firstRound: warmUpRounds,
      injector,
      breachEveryMs: options.breachEveryMs,
    })
    .finally(() => watch.stop());
  assertAlive(services, 'during the load');
  const loadEnd = await snapshot();

  const injected = injector.injections.filter((injection) => injection.acked).length;
  console.log(
    `load stopped; waiting up to ${options.drainSeconds} s for evaluation to reach the end of METRICS and the last webhooks`,
  );
  const drainStarted = Date.now();
  while (Date.now() - drainStarted < options.drainSeconds * 1000) {
    assertAlive(services, 'after the load');
    const taken = evaluationPosition(await scrape(service)) ?? 0;
    if (taken >= (await streamEnd()) && matcher.detected >= injected) break;
    await sleep(250);
  }
  console.log(`  drained in ${((Date.now() - drainStarted) / 1000).toFixed(1)} s`);
  const end = await snapshot();
  const cpu = CpuMeter.between(start.cpu, end.cpu);

  const detection = matcher.summary();
  const lookups = await explainMissing(call, actor, threshold.id, detection.missing);
  const from = new Date(start.at).toISOString();
  const alertCounts = {};
  for (const [kind, rule] of [
    ['threshold', threshold],
    ['anomaly', anomaly],
  ]) {
    alertCounts[kind] = await countAlerts(call, actor, rule.id, from).catch(
      (error) => `alerts.list failed: ${error.message.split('\n')[0]}`,
    );
  }
  console.log('\n=== Results ===');
  printRows(
    resultRows({
      options,
      load: result,
      loadRows: load.rows,
      detection,
      snapshots: { start, loadEnd, end },
      cpu,
      memory: { peak: peakRssBytes(service.pid), rssStart: rssIdle, rssEnd: end.rss },
      receiver,
      alertCounts,
    }),
  );
  console.log(
    [
      '\nNotes: latency is measured in this process, which also runs the load generator, on the same machine as',
      'the services. Per core = ÷ alerting CPU seconds from load start until drained. postgres counts every backend',
      'on the server. RSS growth ÷ tracked series is an upper bound: it also holds host presence, consumer',
      'buffers (a backlog inflates it) and garbage not yet collected (npm run bench:alerting-memory measures the heap).',
    ].join('\n'),
  );
  printMissing(detection.missing, lookups);
  if (detection.unexpected.length > 0)
    console.log(`\nfirings without an injected breach: ${detection.unexpected.slice(0, 5).join(', ')}`);
  if (detection.inexact > 0)
    console.log(
      `\n${detection.inexact} firings matched a breach whose time differs from the alert's startedAt`,
    );
  for (const line of receiver.rejections) console.log(`webhook rejected: ${line}`);
  for (const child of services) {
    const lines = child.output(SHOWN_SERVICE_LINES);
    if (lines)
      console.log(
        `\n${child.name} logged (LOG_LEVEL=warn, last ${SHOWN_SERVICE_LINES} lines):\n` +
          lines
            .split('\n')
            .map((line) => `  ${line.slice(0, 400)}`)
            .join('\n'),
      );
  }
  if (injected > 0 && detection.detected === 0) {
    throw new Error(`none of the ${injected} injected breaches produced a signed alert.firing webhook`);
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping alerting and cleaning up (again to force)`);
    cleanup.run().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(`\nalerting benchmark failed: ${error.message}`);
  if (!error.message.includes('\n') && error.stack)
    console.error(error.stack.split('\n').slice(1, 4).join('\n'));
} finally {
  await cleanup.run();
}
