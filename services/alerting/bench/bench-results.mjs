// From injections and received webhooks to detection latency, and from /metrics, /proc and the load's
// counts to throughput, CPU and memory figures; then the printed table.
import {
  histogramCount,
  histogramDelta,
  histogramQuantile,
  parseHistogram,
} from '../../ingest/bench/lag-histogram.mjs';
import { percentile } from '../../ingest/bench/report-table.mjs';

export const DETECTION_HISTOGRAM = 'alerting_detection_latency_seconds';
const SHOWN_MISSING = 10;

/**
 * Pairs every first `alert.firing` webhook of the threshold rule with the breach that caused it: same
 * host, and the injected report's time equal to the alert's `startedAt` (else the host's oldest unpaired
 * breach before the webhook). Latency = webhook body received − injected report's `time`.
 */
export class DetectionMatcher {
  #byHost = new Map();
  #indexed = 0;
  #alerts = new Set();
  latencies = [];
  /** Webhook received − when the breaching report left the simulator (through ingest: it may send late). */
  sinceSent = [];
  unexpected = [];
  inexact = 0;
  resolved = 0;
  otherTypes = new Map();

  constructor(ruleId, injections) {
    this.ruleId = ruleId;
    this.injections = injections;
  }

  #breachesOf(hostId) {
    for (; this.#indexed < this.injections.length; this.#indexed++) {
      const injection = this.injections[this.#indexed];
      const list = this.#byHost.get(injection.hostId) ?? [];
      list.push(injection);
      this.#byHost.set(injection.hostId, list);
    }
    return this.#byHost.get(hostId) ?? [];
  }

  add({ receivedAtMs, notification }) {
    const alert = notification?.alert;
    if (alert?.rule?.id !== this.ruleId) return;
    if (notification.type === 'alert.resolved') return void this.resolved++;
    if (notification.type !== 'alert.firing' || alert.state !== 'firing') {
      const key = `${notification.type}/${alert.state}`;
      return void this.otherTypes.set(key, (this.otherTypes.get(key) ?? 0) + 1);
    }
    if (this.#alerts.has(alert.id)) return; // a later firing of the same alert (severity upgrade)
    this.#alerts.add(alert.id);
    const open = this.#breachesOf(alert.host?.id).filter((breach) => !breach.detected);
    const startedAt = Date.parse(alert.startedAt);
    let breach = open.find((candidate) => candidate.timeMs === startedAt);
    if (!breach) {
      breach = open.find((candidate) => candidate.timeMs <= receivedAtMs);
      if (breach) this.inexact++;
    }
    if (!breach)
      return void this.unexpected.push(`${alert.host?.id} (alert ${alert.id}, value ${alert.value})`);
    breach.detected = {
      alertId: alert.id,
      receivedAtMs,
      latencyMs: receivedAtMs - breach.timeMs,
    };
    this.latencies.push(receivedAtMs - breach.timeMs);
    if (breach.sentAtMs !== undefined) this.sinceSent.push(receivedAtMs - breach.sentAtMs);
  }

  get detected() {
    return this.latencies.length;
  }

  summary() {
    const sorted = Float64Array.from(this.latencies).sort();
    const sinceSent = Float64Array.from(this.sinceSent).sort();
    const published = this.injections.filter((injection) => injection.acked);
    return {
      injected: published.length,
      notPublished: this.injections.length - published.length,
      detected: sorted.length,
      missing: published.filter((injection) => !injection.detected),
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
      min: percentile(sorted, 0),
      sinceSent: sinceSent.length > 0 && [50, 90, 99].map((rank) => percentile(sinceSent, rank)),
      resolved: this.resolved,
      unexpected: this.unexpected,
      inexact: this.inexact,
      other: [...this.otherTypes].map(([key, count]) => `${key}×${count}`).join(', '),
    };
  }
}

/** The sum over label sets of a counter or gauge in Prometheus text, or undefined when absent. */
export function metricValue(text, name) {
  if (!text) return undefined;
  let found = false;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    found = true;
    sum += Number(match[3]);
  }
  return found ? sum : undefined;
}

function histogramFigures(before, after) {
  const delta = histogramDelta(
    parseHistogram(before, DETECTION_HISTOGRAM),
    parseHistogram(after, DETECTION_HISTOGRAM),
  );
  if (!delta) return 'not in /metrics';
  const count = histogramCount(delta);
  if (!count) return 'no observations';
  const quantile = (q) => {
    const { seconds, above } = histogramQuantile(delta, q);
    return `${above ? '>' : ''}${Math.round(seconds * 1000)}`;
  };
  return `${quantile(0.5)} / ${quantile(0.9)} / ${quantile(0.99)} ms (${count.toLocaleString('en')} obs.)`;
}

export const whole = (value) =>
  value === undefined || Number.isNaN(value) ? '–' : Math.round(value).toLocaleString('en');
export const ms = (value) => (value === undefined ? '–' : `${Math.round(value).toLocaleString('en')} ms`);
const mib = (bytes) => (bytes === undefined ? '–' : `${(bytes / 1048576).toFixed(0)} MiB`);
export const ratio = (amount, per) => (amount === undefined || !(per > 0) ? undefined : amount / per);
export const seconds = (value) => (value === undefined ? '–' : value.toFixed(1));

/**
 * Reports alerting has taken off METRICS (evaluated or dead-lettered): compared with the stream's last
 * sequence it tells how far evaluation is behind, whoever published the reports.
 */
export function evaluationPosition(metrics) {
  const evaluated = metricValue(metrics, 'alerting_reports_evaluated_total');
  return evaluated === undefined
    ? undefined
    : evaluated + (metricValue(metrics, 'alerting_reports_dead_lettered_total') ?? 0);
}

function keptUp(backlog, reportsPerSecond, drainSeconds) {
  if (backlog === undefined || Number.isNaN(backlog)) return '–';
  const behind = reportsPerSecond > 0 ? backlog / reportsPerSecond : 0;
  // Reports published in the last moments are still on their way: under a second of load is no backlog.
  if (behind < 1) return `yes (${whole(backlog)} reports behind at load end, < 1 s of load)`;
  return `no: ${whole(backlog)} reports (≈ ${behind.toFixed(1)} s of load) behind at load end, drained ${drainSeconds.toFixed(1)} s later`;
}

/** Everything the run measured, as label/value rows; `loadRows` are the load generator's own. */
export function resultRows({
  options,
  load,
  loadRows,
  detection,
  snapshots,
  cpu,
  memory,
  receiver,
  alertCounts,
}) {
  const { start, loadEnd, end } = snapshots;
  const delta = (name, from, to) => {
    const a = metricValue(from.metrics, name);
    const b = metricValue(to.metrics, name);
    return a === undefined || b === undefined ? undefined : b - a;
  };
  const alertingSeconds = cpu.groups.alerting?.seconds;
  const evaluations = delta('alerting_evaluations_total', start, end);
  const reports = delta('alerting_reports_evaluated_total', start, end);
  const evaluationsDuringLoad = delta('alerting_evaluations_total', start, loadEnd);
  const reportsDuringLoad = delta('alerting_reports_evaluated_total', start, loadEnd);
  const backlogAtLoadEnd = loadEnd.streamEnd - (evaluationPosition(loadEnd.metrics) ?? NaN);
  const acceptedPerSecond = load.accepted / load.windowSeconds;
  const tracked = metricValue(end.metrics, 'alerting_tracked_series');
  const growth =
    memory.rssEnd !== undefined && memory.rssStart !== undefined
      ? memory.rssEnd - memory.rssStart
      : undefined;
  const others = Object.entries(cpu.groups).filter(([label]) => label !== 'alerting');

  return [
    ...loadRows({ load, cpu }),
    ['— detection (report time → signed webhook received) —', ''],
    [
      'breaches injected (accepted) · not accepted',
      `${whole(detection.injected)} · ${whole(detection.notPublished)}`,
    ],
    [
      'notified (alert.firing matched) · missing',
      `${whole(detection.detected)} · ${whole(detection.missing.length)}`,
    ],
    ['latency p50 / p90 / p99', `${ms(detection.p50)} / ${ms(detection.p90)} / ${ms(detection.p99)}`],
    ['latency min / max', `${ms(detection.min)} / ${ms(detection.max)}`],
    ...(detection.sinceSent
      ? [
          [
            'latency from the report leaving the simulator p50/p90/p99',
            detection.sinceSent.map(ms).join(' / '),
          ],
        ]
      : []),
    [`${DETECTION_HISTOGRAM} p50/p90/p99`, histogramFigures(start.metrics, end.metrics)],
    [
      'resolved webhooks · unexpected firings · other',
      `${whole(detection.resolved)} · ${whole(detection.unexpected.length)} · ${detection.other || '–'}`,
    ],
    [
      'alerts opened during the run: threshold · anomaly',
      `${alertCounts.threshold} · ${alertCounts.anomaly}`,
    ],
    [
      'webhooks rejected (signature/shape) · repeats',
      `${whole(receiver.rejected)} · ${whole(receiver.repeats)}`,
    ],
    ['— evaluation (alerting /metrics, /proc, METRICS stream) —', ''],
    ['reports evaluated/s during load', whole(ratio(reportsDuringLoad, loadEnd.at - start.at) * 1000)],
    ['rule evaluations/s during load', whole(ratio(evaluationsDuringLoad, loadEnd.at - start.at) * 1000)],
    ['backlog at load end (METRICS end − taken)', whole(backlogAtLoadEnd)],
    ['evaluation kept up', keptUp(backlogAtLoadEnd, acceptedPerSecond, (end.at - loadEnd.at) / 1000)],
    [
      'taken after drain / METRICS end (reports)',
      `${whole(evaluationPosition(end.metrics))} / ${whole(end.streamEnd)}`,
    ],
    ['alerting CPU seconds (load start → drained)', seconds(alertingSeconds)],
    ['rule evaluations per CPU-second (per core)', whole(ratio(evaluations, alertingSeconds))],
    [
      'reports · samples per CPU-second',
      `${whole(ratio(reports, alertingSeconds))} · ${whole(ratio(reports * load.samplesPerReport, alertingSeconds))}`,
    ],
    ['CPU µs per report', whole(ratio(alertingSeconds * 1e6, reports))],
    [
      `other CPU s: ${others.map(([label]) => label).join(' · ')} · bench`,
      `${others.map(([, group]) => seconds(group.seconds)).join(' · ')} · ${seconds(cpu.own)}`,
    ],
    ['— memory —', ''],
    ['alerting peak RSS (VmHWM)', mib(memory.peak)],
    ['RSS idle (before warm-up) → after drain', `${mib(memory.rssStart)} → ${mib(memory.rssEnd)}`],
    ['alerting_tracked_series', whole(tracked)],
    ['RSS growth ÷ tracked series', whole(ratio(growth, tracked)) + (tracked ? ' bytes' : '')],
    ['(hosts tracked for presence, not in the gauge)', whole(options.hosts)],
  ];
}

export function printRows(rows) {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows)
    console.log(value === '' ? `\n  ${label}` : `  ${label.padEnd(width)}  ${value}`);
}

export function printMissing(missing, lookups) {
  if (missing.length === 0) return;
  console.log(
    `\nbreaches without a firing webhook (first ${Math.min(SHOWN_MISSING, missing.length)} of ${missing.length}):`,
  );
  for (const [index, injection] of missing.slice(0, SHOWN_MISSING).entries()) {
    const note = lookups[index] ? `: ${lookups[index]}` : '';
    console.log(
      `  ${injection.hostId} at ${new Date(injection.timeMs).toISOString()} (seq ${injection.seq})${note}`,
    );
  }
}

export { SHOWN_MISSING };
