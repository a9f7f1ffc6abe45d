// What reached Postgres: stored samples = sum(cardinality(values)) over ingest.samples (one row per
// report), read on a connection of our own whose backend pid the CPU figures leave out. Also the
// fallback lag probe: for 1 % of the hosts, when each accepted report's row becomes visible.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

import { parentPid } from './process-usage.mjs';

const MISSING_RELATION = new Set(['42P01', '3F000']);
const PROBE_EVERY_MS = 250;
const PROBE_GIVE_UP_MS = 120_000;

export class StorageProbe {
  static async connect(databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'ingest-bench-probe' });
    client.on('error', () => undefined);
    await client.connect();
    // Keep every scan in this one backend, so excluding its pid leaves our reading cost out of the CPU figures.
    await client.query('SET max_parallel_workers_per_gather = 0');
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    return new StorageProbe(client, rows[0].pid);
  }

  constructor(client, backendPid) {
    this.client = client;
    this.backendPid = backendPid;
  }

  /** Samples stored with a time at or after `sinceMs`, or undefined while ingest.samples does not exist. */
  async storedSamples(sinceMs = 0) {
    try {
      const { rows } = await this.client.query(
        `SELECT coalesce(sum(cardinality("values")), 0)::bigint AS samples
           FROM ingest.samples WHERE "time" >= to_timestamp($1 / 1000.0)`,
        [sinceMs],
      );
      return Number(rows[0].samples);
    } catch (error) {
      if (MISSING_RELATION.has(error.code)) return undefined;
      throw error;
    }
  }

  /**
   * The Postgres processes that work for this benchmark: backends of its database (but not this probe's)
   * and the server-wide helpers (WAL writer, checkpointer, …), plus the postmaster. Backends of other
   * databases on a shared server are left out.
   */
  async serverPids() {
    const { rows } = await this.client.query(
      `SELECT pid FROM pg_stat_activity
        WHERE (datname = current_database() OR datname IS NULL) AND pid <> pg_backend_pid()`,
    );
    const pids = rows.map((row) => row.pid);
    const postmaster = parentPid(this.backendPid);
    return postmaster ? [...pids, postmaster] : pids;
  }

  /**
   * Polls every `everyMs` until `expected` samples with a time from `sinceMs` on are stored, nothing new
   * arrived for `stallMs`, or `timeoutMs` passed. Returns the stored count and how long it took.
   */
  async waitFor({ sinceMs, expected, everyMs = 1000, stallMs = 15_000, timeoutMs = 60_000 }) {
    const started = performance.now();
    let stored = await this.storedSamples(sinceMs);
    let lastChange = started;
    let previous = stored;
    while (stored !== undefined && stored < expected) {
      const now = performance.now();
      if (now - started >= timeoutMs)
        return { stored, waitedMs: now - started, complete: false, reason: 'timeout' };
      if (now - lastChange >= stallMs)
        return { stored, waitedMs: now - started, complete: false, reason: 'stalled' };
      await sleep(everyMs);
      stored = await this.storedSamples(sinceMs);
      if (stored !== previous) lastChange = performance.now();
      previous = stored;
    }
    return {
      stored,
      waitedMs: performance.now() - started,
      complete: stored !== undefined,
      reason: stored === undefined ? 'no ingest.samples table' : 'done',
    };
  }

  /** Starts the fallback lag probe for reports of hosts whose index is a multiple of 100. */
  startLagProbe(hostIdOf) {
    const probe = new LagProbe(this.client, hostIdOf);
    probe.start();
    return probe;
  }

  async close() {
    await this.client.end().catch(() => undefined);
  }
}

/** Sample time → row visible in Postgres, for 1 % of the accepted reports (resolution ~250 ms). */
class LagProbe {
  constructor(client, hostIdOf) {
    this.client = client;
    this.hostIdOf = hostIdOf;
    this.pending = new Map(); // `${hostId}|${timeMs}` → timeMs
    this.hostKeys = new Map(); // hostId → ingest.hosts.key
    this.lags = [];
    this.expired = 0;
    this.running = false;
  }

  track(hostIndex, timeMs) {
    if (hostIndex % 100 !== 0) return;
    this.pending.set(`${this.hostIdOf(hostIndex)}|${timeMs}`, timeMs);
  }

  start() {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.poll();
        } catch (error) {
          if (!MISSING_RELATION.has(error.code)) this.error = error.message;
        }
        await sleep(PROBE_EVERY_MS);
      }
    })();
  }

  async poll() {
    for (const [key, timeMs] of this.pending) {
      if (Date.now() - timeMs <= PROBE_GIVE_UP_MS) continue;
      this.pending.delete(key);
      this.expired++;
    }
    if (this.pending.size === 0) return;
    const hostIds = [...new Set([...this.pending.keys()].map((key) => key.split('|')[0]))];
    const unknown = hostIds.filter((id) => !this.hostKeys.has(id));
    if (unknown.length > 0) {
      const { rows } = await this.client.query(
        'SELECT key, host_id, name FROM ingest.hosts WHERE host_id = ANY($1) OR name = ANY($1)',
        [unknown],
      );
      for (const row of rows)
        this.hostKeys.set(unknown.includes(row.host_id) ? row.host_id : row.name, row.key);
    }
    const keys = hostIds.map((id) => this.hostKeys.get(id)).filter((key) => key !== undefined);
    if (keys.length === 0) return;
    const oldest = Math.min(...this.pending.values());
    const { rows } = await this.client.query(
      `SELECT s.host_key, (extract(epoch FROM s.time) * 1000)::float8 AS time_ms
         FROM ingest.samples s WHERE s.host_key = ANY($1) AND s.time >= to_timestamp($2 / 1000.0)`,
      [keys, oldest],
    );
    const seenAt = Date.now();
    const idByKey = new Map([...this.hostKeys].map(([id, key]) => [key, id]));
    for (const row of rows) {
      const key = `${idByKey.get(row.host_key)}|${Math.round(row.time_ms)}`;
      const timeMs = this.pending.get(key);
      if (timeMs === undefined) continue;
      this.pending.delete(key);
      this.lags.push(seenAt - timeMs);
    }
  }

  /** Stops after one last look; the lag figures (p50, p99 of what was seen) as the report table shows them. */
  async stop() {
    this.running = false;
    await this.loop;
    await this.poll().catch(() => undefined);
    const lags = Float64Array.from(this.lags).sort();
    const unseen = this.pending.size + this.expired;
    const source = `Postgres probe (${lags.length} seen, ${unseen} unseen)`;
    if (lags.length === 0)
      return { source, note: this.error ? `probe failed: ${this.error}` : 'no rows seen' };
    const quantile = (q) => ({
      ms: lags[Math.min(lags.length - 1, Math.ceil(q * lags.length) - 1)],
      above: false,
    });
    return { source, p50: quantile(0.5), p99: quantile(0.99) };
  }
}
