// The simulated fleet: `hosts` hosts each sending one report every `intervalMs`, spread evenly over the
// interval, for `seconds`. Open loop: every report has a fixed due time. At most `connections` requests
// are in flight (undici Pool, keep-alive, one request per connection at a time); a report that cannot go
// out on time waits for a free connection and its lateness is recorded, and reports still unsent when
// the window closes are counted as not sent. The schedule never slows down to suit the server.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { Pool } = require('undici');

const TICK_MS = 2;
const PROGRESS_EVERY_MS = 10_000;
const IN_FLIGHT_GRACE_MS = 35_000;
const KEPT_ERROR_BODIES = 5;

/** Grows as needed; `sorted()` returns the filled part in ascending order. */
class SampleList {
  #values = new Float64Array(1024);
  length = 0;

  push(value) {
    if (this.length === this.#values.length) {
      const larger = new Float64Array(this.#values.length * 2);
      larger.set(this.#values);
      this.#values = larger;
    }
    this.#values[this.length++] = value;
  }

  sorted() {
    return this.#values.slice(0, this.length).sort();
  }
}

/**
 * Runs the schedule against `origin` + `fleet.path` and resolves with what happened. `onAccepted(host,
 * timeMs)` is called for every 2xx answer (the lag probe uses it); `label` prefixes progress lines;
 * `firstRound` continues the per-host sequence numbers of an earlier run (a warm-up).
 */
export async function runFleet({
  origin,
  fleet,
  token,
  hosts,
  intervalMs,
  seconds,
  connections,
  label,
  onAccepted,
  firstRound = 0,
}) {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const headers = { 'content-type': fleet.contentType, ...fleet.extraHeaders };
  if (token) headers.authorization = `Bearer ${token}`;

  const rounds = Math.ceil((seconds * 1000) / intervalMs);
  const total = rounds * hosts;
  const spacing = intervalMs / hosts;
  const latencies = new SampleList();
  const lateness = new SampleList();
  const sinceDue = new SampleList();
  const statuses = new Map();
  const errorBodies = [];
  let next = 0;
  let inFlight = 0;
  let accepted = 0;
  let lastCompletion = 0;
  let closed = false;
  let settle;
  let closeWindow;
  const settled = new Promise((resolve) => (settle = resolve));
  const windowClosed = new Promise((resolve) => (closeWindow = resolve));

  const startWall = Date.now() + 100;
  const start = performance.now() + 100;
  const windowEnd = start + seconds * 1000;
  const dueAt = (slot) => start + Math.floor(slot / hosts) * intervalMs + (slot % hosts) * spacing;
  const count = (key) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

  function finish(slot, sentAt, outcome) {
    const now = performance.now();
    latencies.push(now - sentAt);
    sinceDue.push(now - dueAt(slot));
    lastCompletion = now;
    count(outcome);
    inFlight--;
    if (closed && inFlight === 0) settle();
    else pump();
  }

  function send(slot) {
    const hostIndex = slot % hosts;
    const due = dueAt(slot);
    const timeMs = Math.round(startWall + (due - start));
    const body = fleet.body(hostIndex, firstRound + Math.floor(slot / hosts) + 1, timeMs);
    const sentAt = performance.now();
    lateness.push(sentAt - due);
    inFlight++;
    let outcome;
    pool
      .request({ method: 'POST', path: fleet.path, headers, body })
      .then(async (response) => {
        outcome = String(response.statusCode);
        const ok = response.statusCode >= 200 && response.statusCode < 300;
        if (ok || errorBodies.length >= KEPT_ERROR_BODIES) await response.body.dump();
        else errorBodies.push(`${response.statusCode} ${(await response.body.text()).slice(0, 400)}`);
        if (ok) {
          accepted++;
          onAccepted?.(hostIndex, timeMs);
        }
      })
      .catch((error) => (outcome ??= `error ${error.code ?? error.name}`))
      .finally(() => finish(slot, sentAt, outcome));
  }

  function pump() {
    if (closed) return;
    const now = performance.now();
    while (inFlight < connections && next < total && dueAt(next) <= now) send(next++);
  }

  let lastProgress = start;
  const timer = setInterval(() => {
    const now = performance.now();
    if (now >= windowEnd) {
      clearInterval(timer);
      closed = true;
      if (inFlight === 0) settle();
      closeWindow();
      return;
    }
    pump();
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      const elapsed = (now - start) / 1000;
      const behind = next < total ? Math.max(0, now - dueAt(next)) : 0;
      console.log(
        `  ${label}: ${elapsed.toFixed(0)} s, ${next.toLocaleString('en')} sent, ` +
          `${Math.round(accepted / elapsed).toLocaleString('en')} accepted/s, ${inFlight} in flight, ` +
          `schedule ${behind > 1 ? `${behind.toFixed(0)} ms behind` : 'on time'}`,
      );
    }
  }, TICK_MS);

  await windowClosed;
  const windowClosedAt = performance.now();
  if (inFlight > 0) {
    await Promise.race([settled, sleep(IN_FLIGHT_GRACE_MS, undefined, { ref: false })]);
  }
  const abandoned = inFlight;
  await pool.destroy().catch(() => undefined);

  return {
    hosts,
    intervalMs,
    rounds,
    samplesPerReport: fleet.samplesPerReport,
    windowSeconds: seconds,
    offered: total,
    sent: next,
    notSent: total - next,
    abandoned,
    accepted,
    statuses,
    errorBodies,
    latencies: latencies.sorted(),
    lateness: lateness.sorted(),
    sinceDue: sinceDue.sorted(),
    startWallMs: startWall,
    lastResponseAfterWindowMs: Math.max(0, lastCompletion - windowEnd),
    waitedForInFlightMs: performance.now() - windowClosedAt,
  };
}

/** A short run whose figures are not kept (JIT, connections, first reports of every host); returns its rounds. */
export async function warmUp(settings) {
  if (!(settings.seconds > 0)) return 0;
  const result = await runFleet({ ...settings, label: `${settings.label} warm-up` });
  const p99 = result.latencies[Math.max(0, Math.ceil(0.99 * result.latencies.length) - 1)];
  console.log(
    `  warm-up (${settings.seconds} s, not counted): ${result.accepted.toLocaleString('en')} of ` +
      `${result.offered.toLocaleString('en')} accepted, HTTP p99 ${p99 === undefined ? '–' : p99.toFixed(1)} ms`,
  );
  return result.rounds;
}
