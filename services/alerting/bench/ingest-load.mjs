// The load through the real intake (--through-ingest): the built auth (tenant `default` and its bootstrap
// ingest token) and ingest run as child processes on the benchmark's database and NATS namespace, and the
// ingest benchmark's fleet simulator posts agent reports to POST /v1/agent/reports. A breach is an agent
// report whose cpu.usage_pct is 99; its sample time is the report's `time` (the time it was due, so a
// report the simulator sends late counts its lateness in the latency, as an agent's would).
import { randomBytes } from 'node:crypto';
import { clearInterval, setInterval } from 'node:timers';

import { agentFleet, agentHostId } from '../../ingest/bench/agent-payload.mjs';
import { NATS_URL, randomId } from '../../ingest/bench/bench-environment.mjs';
import { runFleet, warmUp } from '../../ingest/bench/fleet-simulator.mjs';
import { preflight } from '../../ingest/bench/optralis-run.mjs';
import { percentile } from '../../ingest/bench/report-table.mjs';
import { ms, ratio, seconds, whole } from './bench-results.mjs';
import { queryRows, startService } from './bench-setup.mjs';
import { ANOMALY_METRIC, BREACH_METRIC, BREACH_VALUE } from './metrics-load.mjs';

const ADMIN = {
  email: 'bench-admin@example.com',
  password: 'Bench-Copper-Lantern-93',
};
const BREACH_SAMPLE = new RegExp(`("name":"${BREACH_METRIC.replaceAll('.', '\\.')}","value":)[^,}]+`);

function ingestRows({ load, cpu }) {
  const window = load.windowSeconds;
  const answers = [...load.statuses].map(([status, count]) => `${status}×${whole(count)}`).join(', ');
  const ingestSeconds = cpu.groups.ingest?.seconds;
  return [
    ['— load (agent reports through ingest POST /v1/agent/reports) —', ''],
    [
      'offered reports/s · samples/s',
      `${whole(load.offered / window)} · ${whole((load.offered * load.samplesPerReport) / window)}`,
    ],
    [
      'accepted (2xx) reports/s · samples/s',
      `${whole(load.accepted / window)} · ${whole((load.accepted * load.samplesPerReport) / window)}`,
    ],
    [
      'not sent (schedule fell behind) · abandoned · answers',
      `${whole(load.notSent)} · ${whole(load.abandoned)} · ${answers || '–'}`,
    ],
    [
      'send lateness p50 / p99 / max',
      `${ms(percentile(load.lateness, 50))} / ${ms(percentile(load.lateness, 99))} / ${ms(percentile(load.lateness, 100))}`,
    ],
    [
      'HTTP latency p50 / p99',
      `${ms(percentile(load.latencies, 50))} / ${ms(percentile(load.latencies, 99))}`,
    ],
    [
      'ingest CPU s (load start → drained) · µs per accepted report',
      `${seconds(ingestSeconds)} · ${whole(ratio(ingestSeconds * 1e6, load.accepted))}`,
    ],
  ];
}

/** Marks the breaching reports and remembers them until ingest answers 2xx for them. */
function breachingFleet(fleet, injector) {
  const unanswered = new Map();
  return {
    fleet: {
      ...fleet,
      body(hostIndex, seq, timeMs) {
        const body = fleet.body(hostIndex, seq, timeMs);
        if (!injector.take(hostIndex)) return body;
        // The simulator asks for a body as it sends: now is when the report leaves, `timeMs` when it was due.
        const sentAtMs = Date.now();
        const injection = {
          hostIndex,
          hostId: agentHostId(hostIndex),
          timeMs,
          sentAtMs,
          seq,
          acked: false,
        };
        injector.injections.push(injection);
        unanswered.set(`${hostIndex}@${timeMs}`, injection);
        return body.replace(BREACH_SAMPLE, `$1${BREACH_VALUE}`);
      },
    },
    onAccepted(hostIndex, timeMs) {
      const key = `${hostIndex}@${timeMs}`;
      const injection = unanswered.get(key);
      if (!injection) return;
      injection.acked = true;
      unanswered.delete(key);
    },
  };
}

/** Starts auth and ingest, checks that ingest takes an agent report, and returns the load's driver. */
export async function startIngestLoad({ database, namespace, cleanup, options }) {
  if (options.metrics < 10)
    console.log(
      `with ${options.metrics} metrics the agent fleet sends no ${ANOMALY_METRIC}: the anomaly rule idles`,
    );
  const token = `opt_ing_${randomId(8)}_${randomBytes(24).toString('hex')}`;
  const shared = {
    DATABASE_URL: database.url,
    NATS_URL,
    NATS_NAMESPACE: namespace,
    METRICS_PARTITIONS: String(options.partitions),
  };
  const auth = await startService({
    name: 'auth',
    cleanup,
    env: {
      ...shared,
      AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      OPTRALIS_BOOTSTRAP_INGEST_TOKEN: token,
    },
  });
  const ingest = await startService({
    name: 'ingest',
    cleanup,
    env: { ...shared, INGEST_RATE_LIMIT_PER_TOKEN: '10000000' },
  });
  const check = await preflight(ingest.url, token, 'agent', options);
  if (!check.ok) throw new Error(`ingest does not take agent reports: ${check.detail}`);
  const [tenant] = await queryRows(
    database.url,
    `SELECT "id"::text AS "id" FROM "auth"."tenants" WHERE "slug" = 'default'`,
  );
  if (!tenant) throw new Error('auth created no tenant "default" although its ingest token works');
  console.log(`ingest takes agent reports for tenant default (${tenant.id})`);

  const settings = {
    origin: ingest.url,
    fleet: agentFleet(options),
    token,
    hosts: options.hosts,
    intervalMs: options.intervalMs,
    connections: options.connections,
  };
  return {
    tenantId: tenant.id,
    services: [auth, ingest],
    cpuGroups: { ingest: () => [ingest.pid], auth: () => [auth.pid] },
    rows: ingestRows,
    warmUp: (seconds) => warmUp({ ...settings, seconds, label: 'agent reports' }),
    async run({ seconds, firstRound, injector, breachEveryMs }) {
      const { fleet, onAccepted } = breachingFleet(settings.fleet, injector);
      const arming = setInterval(() => injector.arm(), breachEveryMs);
      try {
        return await runFleet({
          ...settings,
          fleet,
          seconds,
          firstRound,
          label: 'load',
          onAccepted,
        });
      } finally {
        clearInterval(arming);
      }
    },
  };
}
