// The load: `hosts` simulated hosts, each publishing one MetricsReport (CONTRACT: one message per report)
// straight onto the METRICS stream every `intervalMs`, spread evenly over the interval. Open loop: every
// report has a due time; the due reports of one turn are published pipelined and their PubAcks awaited
// together (PERF-NOTES), so a slow server shows as lateness, never as a slower schedule. While `injector`
// is set, a host is chosen every `breachEveryMs`: its next report carries cpu.usage_pct = 99 and the one
// after that is normal again, so the alert fires, resolves, and the host may breach again later.
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { metricCatalogue, metricValue } from '../../ingest/bench/metric-catalogue.mjs';
import { percentile } from '../../ingest/bench/report-table.mjs';
import { ms, whole } from './bench-results.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { metricsSubject } = require(path.join(ROOT, 'libs/contracts/dist/index.js'));

export const BREACH_METRIC = 'cpu.usage_pct';
export const ANOMALY_METRIC = 'mem.used_pct';
export const BREACH_VALUE = 99;
const PROGRESS_EVERY_MS = 10_000;
const IDLE_SLEEP_MS = 2;

export function benchHostId(hostIndex) {
  return `bench-host-${String(hostIndex).padStart(6, '0')}`;
}

/** cpu.usage_pct (10–60, the rule's metric) and mem.used_pct first, then the rest of a typical agent. */
function catalogue(count) {
  const rest = metricCatalogue(count + 2).filter(
    (metric) => metric.name !== BREACH_METRIC && metric.name !== ANOMALY_METRIC,
  );
  return [
    { name: BREACH_METRIC, kind: 'cpu' },
    { name: ANOMALY_METRIC, kind: 'percent', base: 62, spread: 8 },
    ...rest,
  ].slice(0, count);
}

/** Report bodies assembled from fragments prepared once; `body()` returns the JSON text. */
export function benchFleet({ hosts, metrics, tenantId, namespace, partitions }) {
  const metricList = catalogue(metrics);
  const samplePrefixes = metricList.map((metric) => {
    const labels = metric.labels ? `,"labels":${JSON.stringify(metric.labels)}` : '';
    return `{"name":${JSON.stringify(metric.name)}${labels},"value":`;
  });
  const hostList = Array.from({ length: hosts }, (_, hostIndex) => {
    const hostId = benchHostId(hostIndex);
    return {
      hostId,
      subject: `${namespace}.${metricsSubject({ tenantId, hostId, partitions })}`,
      tail:
        `"tenantId":"${tenantId}","hostId":"${hostId}","hostName":"bench-${hostIndex}",` +
        `"source":"agent","tags":["bench","zone-${hostIndex % 3}"]`,
    };
  });
  const valueOf = (metric, hostIndex, index, timeMs) =>
    metric.kind === 'cpu'
      ? Math.round((10 + 50 * Math.random()) * 100) / 100
      : metricValue(metric, hostIndex, index, timeMs);

  return {
    hosts: hostList,
    samplesPerReport: metricList.length,
    body(hostIndex, seq, timeMs, breach) {
      const time = new Date(timeMs).toISOString();
      let samples = '';
      for (let index = 0; index < metricList.length; index++) {
        const value =
          index === 0 && breach ? BREACH_VALUE : valueOf(metricList[index], hostIndex, index, timeMs);
        samples += `${index === 0 ? '' : ','}${samplePrefixes[index]}${value}}`;
      }
      return (
        `{"id":"${hostList[hostIndex].hostId}-${seq}",${hostList[hostIndex].tail},"seq":${seq},` +
        `"time":"${time}","receivedAt":"${time}","samples":[${samples}]}`
      );
    },
  };
}

/**
 * Chooses the hosts to breach: a shuffled order of all hosts, gone through in turn, so a host breaches
 * again only after every other one has (its previous alert long resolved, and not seen as flapping).
 */
export class BreachInjector {
  #order;
  #position = 0;
  /** hostIndex → true while its next report should breach. */
  armed = new Set();
  /** { hostIndex, hostId, timeMs, seq, acked } per breaching report published. */
  injections = [];

  constructor(hosts) {
    this.#order = Array.from({ length: hosts }, (_, index) => index);
    for (let index = hosts - 1; index > 0; index--) {
      const other = Math.floor(Math.random() * (index + 1));
      [this.#order[index], this.#order[other]] = [this.#order[other], this.#order[index]];
    }
  }

  arm() {
    for (let tries = 0; tries < this.#order.length; tries++) {
      const hostIndex = this.#order[this.#position++ % this.#order.length];
      if (!this.armed.has(hostIndex)) return this.armed.add(hostIndex);
    }
  }

  /** Whether this report breaches; disarms the host (its next report is normal again). */
  take(hostIndex) {
    return this.armed.delete(hostIndex);
  }
}

/**
 * Publishes the schedule for `seconds` and resolves with what happened. `firstRound` continues the
 * per-host sequence numbers of an earlier phase; `progress()` returns extra text for the progress line.
 */
export async function publishFleet({
  jetstream,
  fleet,
  intervalMs,
  seconds,
  maxInFlight,
  label,
  injector,
  breachEveryMs,
  firstRound = 0,
  progress = () => '',
}) {
  const hostCount = fleet.hosts.length;
  const rounds = Math.ceil((seconds * 1000) / intervalMs);
  const total = rounds * hostCount;
  const spacing = intervalMs / hostCount;
  const start = performance.now() + 50;
  const windowEnd = start + seconds * 1000;
  const dueAt = (slot) => start + Math.floor(slot / hostCount) * intervalMs + (slot % hostCount) * spacing;
  const lateness = [];
  const errors = new Map();
  let next = 0;
  let acked = 0;
  let failed = 0;
  let bytes = 0;
  let nextBreachAt = start;
  let lastProgress = start;

  function publish(slot) {
    const hostIndex = slot % hostCount;
    const seq = firstRound + Math.floor(slot / hostCount) + 1;
    const breach = injector?.take(hostIndex) ?? false;
    const timeMs = Date.now();
    const body = Buffer.from(fleet.body(hostIndex, seq, timeMs, breach));
    bytes += body.length;
    const host = fleet.hosts[hostIndex];
    const injection = breach ? { hostIndex, hostId: host.hostId, timeMs, seq, acked: false } : undefined;
    if (injection) injector.injections.push(injection);
    return jetstream.publish(host.subject, body, { msgID: `${host.hostId}-${seq}` }).then(
      () => {
        acked++;
        if (injection) injection.acked = true;
      },
      (error) => {
        failed++;
        const key = error.code ?? error.message;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      },
    );
  }

  for (;;) {
    const now = performance.now();
    if (injector && now >= nextBreachAt) {
      injector.arm();
      nextBreachAt += breachEveryMs;
    }
    const batch = [];
    while (next < total && batch.length < maxInFlight && dueAt(next) <= now) {
      lateness.push(now - dueAt(next));
      batch.push(publish(next++));
    }
    if (batch.length > 0) await Promise.all(batch);
    if (now >= windowEnd) break;
    if (batch.length === 0) await sleep(IDLE_SLEEP_MS);
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      const elapsed = (now - start) / 1000;
      const behind = next < total ? Math.max(0, now - dueAt(next)) : 0;
      console.log(
        `  ${label}: ${elapsed.toFixed(0)} s, ${acked.toLocaleString('en')} reports acked ` +
          `(${Math.round(acked / elapsed).toLocaleString('en')}/s), ` +
          `schedule ${behind > 1 ? `${behind.toFixed(0)} ms behind` : 'on time'}${progress()}`,
      );
    }
  }

  return {
    rounds,
    windowSeconds: seconds,
    samplesPerReport: fleet.samplesPerReport,
    offered: total,
    sent: next,
    notSent: total - next,
    acked,
    failed,
    errors,
    bytes,
    lateness: Float64Array.from(lateness).sort(),
  };
}

function directRows({ load }) {
  const window = load.windowSeconds;
  const { lateness } = load;
  const errors = [...load.errors].map(([key, count]) => `${key}×${count}`).join(', ');
  return [
    ['— load (published on METRICS) —', ''],
    [
      'offered reports/s · samples/s',
      `${whole(load.offered / window)} · ${whole((load.offered * load.samplesPerReport) / window)}`,
    ],
    [
      'achieved (acked) reports/s · samples/s',
      `${whole(load.acked / window)} · ${whole((load.acked * load.samplesPerReport) / window)}`,
    ],
    [
      'not sent (schedule fell behind) · publish failures',
      `${whole(load.notSent)} · ${whole(load.failed)}${errors ? ` (${errors})` : ''}`,
    ],
    [
      'publish lateness p50 / p99 / max',
      `${ms(percentile(lateness, 50))} / ${ms(percentile(lateness, 99))} / ${ms(percentile(lateness, 100))}`,
    ],
    ['mean report size', `${whole(load.bytes / Math.max(1, load.sent))} bytes`],
  ];
}

/** The direct load as the benchmark drives it: a warm-up, then the measured run with breaches. */
export function directLoad({ jetstream, options, tenantId, namespace }) {
  const fleet = benchFleet({ ...options, tenantId, namespace });
  const settings = { jetstream, fleet, intervalMs: options.intervalMs, maxInFlight: options.maxInFlight };
  return {
    tenantId,
    services: [],
    cpuGroups: {},
    rows: directRows,
    async warmUp(seconds) {
      const result = await publishFleet({ ...settings, seconds, label: 'warm-up' });
      if (result.acked === 0)
        throw new Error(
          `no report was acknowledged by JetStream in the warm-up: ${[...result.errors.keys()].join(', ')}`,
        );
      return result.rounds;
    },
    async run({ seconds, firstRound, injector, breachEveryMs }) {
      const result = await publishFleet({
        ...settings,
        seconds,
        label: 'load',
        injector,
        breachEveryMs,
        firstRound,
      });
      return { ...result, accepted: result.acked };
    },
  };
}
