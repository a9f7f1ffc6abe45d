// npm run bench:alerting — the built alerting service on the running NATS and Postgres, in a throw-away
// database and NATS namespace, fed a simulated fleet straight onto METRICS while one host at a time
// breaches a threshold rule that notifies a signed webhook. Measures detection latency (breaching
// report's time → webhook received), evaluation throughput and CPU, and memory per tracked series.
// Flags: see bench-options.mjs.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
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
import { parseOptions, USAGE } from './bench-options.mjs';
import {
  DetectionMatcher,
  metricValue,
  printMissing,
  printRows,
  resultRows,
  SHOWN_MISSING,
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
import { ANOMALY_METRIC, BREACH_METRIC, BreachInjector, benchFleet, publishFleet } from './metrics-load.mjs';
import { startWebhookReceiver } from './webhook-receiver.mjs';

const cleanup = new Cleanup();
const ALERT_PAGES = 40;

function assertAlive(service, when) {
  if (service.exit) throw new Error(`${describeExit(service)} ${when}; last output:\n${service.output()}`);
}

async function snapshot(service, meter) {
  return {
    at: Date.now(),
    metrics: await scrape(service),
    cpu: await meter.read(),
    rss: rssBytes(service.pid),
  };
}

/** The webhook channel, the threshold rule that notifies it and an anomaly rule that only evaluates. */
async function configure(call, actor, { webhookUrl, secret, minDeviation }) {
  const channel = await call('channels.create', {
    actor,
    channel: {
      name: 'bench webhook',
      type: 'webhook',
      config: { url: webhookUrl, secret },
      rateLimitPerMinute: 10_000,
      sendResolved: true,
    },
  });
  const threshold = await call('rules.create', {
    actor,
    rule: {
      name: 'bench cpu',
      kind: 'threshold',
      metric: BREACH_METRIC,
      operator: '>',
      warning: null,
      critical: 95,
      forSeconds: 0,
      channelIds: [channel.id],
    },
  });
  const anomaly = await call('rules.create', {
    actor,
    rule: {
      name: 'bench mem anomaly',
      kind: 'anomaly',
      metric: ANOMALY_METRIC,
      minDeviation,
      channelIds: [],
    },
  });
  console.log(`channel ${channel.id}, threshold rule ${threshold.id}, anomaly rule ${anomaly.id}`);
  return { channel, threshold, anomaly };
}

/** Alerts of `ruleId` that started since `from`, counted through rpc.alerting.alerts.list (capped). */
async function countAlerts(call, actor, ruleId, from) {
  let count = 0;
  let cursor;
  for (let page = 0; page < ALERT_PAGES; page++) {
    const reply = await call('alerts.list', {
      actor,
      ruleId,
      from,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    count += reply.items.length;
    cursor = reply.nextCursor;
    if (!cursor) return String(count);
  }
  return `≥ ${count}`;
}

/** Why the first missing breaches have no webhook, as far as rpc.alerting.alerts.list tells. */
async function explainMissing(call, actor, ruleId, missing) {
  const notes = [];
  for (const injection of missing.slice(0, SHOWN_MISSING)) {
    try {
      const { items } = await call('alerts.list', { actor, hostId: injection.hostId, ruleId, limit: 5 });
      notes.push(
        items.length === 0
          ? 'no alert was opened'
          : items
              .map((alert) => `alert ${alert.id.slice(0, 8)} ${alert.state} from ${alert.startedAt}`)
              .join('; '),
      );
    } catch (error) {
      notes.push(`alerts.list failed: ${error.message.split('\n')[0]}`);
    }
  }
  return notes;
}

async function main() {
  const options = parseOptions();
  if (options.help) return console.log(USAGE);
  console.log(
    `alerting benchmark: ${os.cpus().length} CPUs, Node ${process.version}, ${options.hosts} hosts × ${options.metrics} ` +
      `metrics every ${options.intervalMs} ms for ${options.seconds} s (after ${options.warmupSeconds} s of warm-up), ` +
      `a ${BREACH_METRIC} breach every ${options.breachEveryMs} ms, ${options.partitions} partitions`,
  );
  if (!procAvailable) console.log('/proc is missing: CPU and memory figures will be absent');
  checkBuilt();

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
  const jetstream = connection.jetstream();
  const manager = await connection.jetstreamManager();
  const streamName = `${nats.namespace.toUpperCase()}_METRICS`;
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

  const tenantId = `bench-${randomId(6)}`;
  const actor = { userId: 'bench-admin', tenantId, role: 'admin' };
  const call = rpcCaller(connection, nats.namespace);
  const { threshold, anomaly } = await configure(call, actor, {
    webhookUrl: receiver.url,
    secret,
    minDeviation: options.anomalyMinDeviation,
  });

  const fleet = benchFleet({ ...options, tenantId, namespace: nats.namespace });
  const settings = { jetstream, fleet, intervalMs: options.intervalMs, maxInFlight: options.maxInFlight };
  const rssIdle = rssBytes(service.pid);
  console.log(`\nwarm-up: ${options.warmupSeconds} s, not counted`);
  const warmUp = await publishFleet({ ...settings, seconds: options.warmupSeconds, label: 'warm-up' });
  if (warmUp.acked === 0)
    throw new Error(
      `no report was acknowledged by JetStream in the warm-up: ${[...warmUp.errors.keys()].join(', ')}`,
    );
  await waitFor(async () => metricValue(await scrape(service), 'alerting_evaluations_total') > 0, {
    timeoutMs: 15_000,
    failure: () =>
      'alerting evaluated no rule in the warm-up (alerting_evaluations_total is 0 or absent): ' +
      'the METRICS reports or the rules are not reaching the evaluator',
  });
  assertAlive(service, 'during the warm-up');

  const meter = new CpuMeter({
    alerting: () => [service.pid],
    'nats-server': () => pidsNamed('nats-server'),
    postgres: () => pidsNamed('postgres'),
  });
  const injector = new BreachInjector(options.hosts);
  const matcher = new DetectionMatcher(threshold.id, injector.injections);
  receiver.onNotification((entry) => matcher.add(entry));

  console.log(`\nmeasured run: ${options.seconds} s`);
  const start = await snapshot(service, meter);
  const load = await publishFleet({
    ...settings,
    seconds: options.seconds,
    label: 'load',
    injector,
    breachEveryMs: options.breachEveryMs,
    firstRound: warmUp.rounds,
    progress: () => `, ${injector.injections.length} breaches, ${matcher.detected} notified`,
  });
  load.ackedBefore = warmUp.acked;
  assertAlive(service, 'during the load');
  const loadEnd = await snapshot(service, meter);

  const published = load.acked + warmUp.acked;
  const injected = injector.injections.filter((injection) => injection.acked).length;
  console.log(
    `load stopped; waiting up to ${options.drainSeconds} s for evaluation to catch up and the last webhooks`,
  );
  const drainStarted = Date.now();
  while (Date.now() - drainStarted < options.drainSeconds * 1000) {
    assertAlive(service, 'after the load');
    const evaluated = metricValue(await scrape(service), 'alerting_reports_evaluated_total') ?? 0;
    if (evaluated >= published && matcher.detected >= injected) break;
    await sleep(250);
  }
  console.log(`  drained in ${((Date.now() - drainStarted) / 1000).toFixed(1)} s`);
  const end = await snapshot(service, meter);
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
      load,
      detection,
      snapshots: { start, loadEnd, end },
      cpu: {
        alerting: cpu.groups.alerting?.seconds,
        nats: cpu.groups['nats-server']?.seconds,
        postgres: cpu.groups.postgres?.seconds,
        own: cpu.own,
      },
      memory: { peak: peakRssBytes(service.pid), rssStart: rssIdle, rssEnd: end.rss },
      receiver,
      alertCounts,
    }),
  );
  console.log(
    [
      '\nNotes: latency is measured in this process, which also runs the load generator, on the same machine as',
      'the service. Per core = ÷ alerting CPU seconds from load start until drained. postgres counts every backend',
      'on the server. RSS growth ÷ tracked series is an upper bound: it also holds host presence, consumer',
      'buffers (a backlog inflates it) and garbage not yet collected.',
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
