// npm run bench:gateway — read throughput of the built gateway in front of the built auth and ingest
// services, on the running NATS and Postgres, in a throw-away database and NATS namespace. Seeds a fleet
// through ingest's agent intake (BENCH_HOSTS hosts, one of them with 24 h of 1-minute data), makes an API
// token, then loads with autocannon: the host list and a 24 h series at a 60 s step.
//   BENCH_HOSTS (500)  BENCH_CONNECTIONS (50)  BENCH_SECONDS (15)  BENCH_SERIES_HOURS (24)  BENCH_PROFILE_DIR
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import autocannon from 'autocannon';

import { agentHostId, agentHostName, AGENT_PATH } from '../../ingest/bench/agent-payload.mjs';
import {
  Cleanup,
  createBenchDatabase,
  createNamespace,
  ensureInfrastructure,
  freePort,
  NATS_URL,
  randomId,
  ROOT,
} from '../../ingest/bench/bench-environment.mjs';
import { CpuMeter, pidsNamed } from '../../ingest/bench/process-usage.mjs';
import { startProcess, waitUntilReady } from '../../ingest/bench/service-process.mjs';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SERIES_HOURS = Number(process.env.BENCH_SERIES_HOURS ?? 24);
const ADMIN = { email: 'bench-admin@example.com', password: 'Bench-Copper-Lantern-93' };
const SERIES_METRICS = ['cpu.usage_pct', 'mem.used_pct', 'load.1m', 'disk.used_pct', 'net.rx_bytes'];
const TARGETS = {
  hosts: { minRps: 2000, maxP99Ms: 50 },
  series: { maxP99Ms: 100 },
};
const cleanup = new Cleanup();

async function startService(name, env) {
  const port = await freePort();
  const service = startProcess({
    name,
    command: process.execPath,
    // BENCH_PROFILE_DIR=/tmp/profiles writes a V8 CPU profile of each service when it stops.
    args: [
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : []),
      path.join(ROOT, 'services', name, 'dist', 'main.js'),
    ],
    cwd: ROOT,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      [`${name.toUpperCase()}_PORT`]: String(port),
      ...env,
    },
  });
  cleanup.add(`stop ${name}`, () => service.stop());
  service.url = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, `${service.url}/ready`);
  console.log(`${name}: ready on ${service.url} (pid ${service.pid})`);
  return service;
}

async function json(url, { method = 'GET', token, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `work(index)` for 0…count-1, `parallel` at a time. */
async function inParallel(count, parallel, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function seed({ ingest, ingestToken, seriesHostId }) {
  const post = (body) => json(`${ingest.url}${AGENT_PATH}`, { method: 'POST', token: ingestToken, body });
  const now = Date.now();
  const started = performance.now();
  await inParallel(HOSTS - 1, 20, (index) =>
    post({
      host: { id: agentHostId(index), name: agentHostName(index), tags: [index % 2 ? 'web' : 'db'] },
      seq: 1,
      time: new Date(now - 30_000).toISOString(),
      metrics: SERIES_METRICS.map((name, metric) => ({ name, value: (index + metric) % 100 })),
      inventory: { os: 'Debian 12', kernel: '6.1.0', cpu: 'bench', memory_bytes: 8_000_000_000 },
    }),
  );
  const minutes = SERIES_HOURS * 60;
  const firstMinute = Math.floor(now / 60_000) * 60_000 - minutes * 60_000;
  await inParallel(minutes, 20, (minute) =>
    post({
      host: { id: seriesHostId, name: 'series-host', tags: ['bench'] },
      seq: minute + 1,
      time: new Date(firstMinute + minute * 60_000).toISOString(),
      metrics: SERIES_METRICS.map((name, metric) => ({
        name,
        value: 50 + 40 * Math.sin((minute + metric * 7) / 60),
      })),
    }),
  );
  console.log(
    `seeded ${HOSTS} hosts and ${minutes} one-minute reports in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    from: new Date(firstMinute).toISOString(),
    to: new Date(firstMinute + minutes * 60_000).toISOString(),
  };
}

async function waitForData({ gateway, token, seriesPath, expectedPoints }) {
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    const page = await json(`${gateway.url}/api/v1/hosts?limit=1&q=series-host`, { token });
    const total = await countHosts(gateway, token);
    const series = page.items.length > 0 ? await json(`${gateway.url}${seriesPath}`, { token }) : undefined;
    const points = series?.series[0]?.points.length ?? 0;
    last = `${total}/${HOSTS} hosts, ${points}/${expectedPoints} points (resolution ${series?.resolution})`;
    if (total >= HOSTS && points >= expectedPoints) return last;
    await sleep(1000);
  }
  throw new Error(`the seeded data did not arrive within 180 s: ${last}`);
}

async function countHosts(gateway, token) {
  let count = 0;
  let cursor;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await json(`${gateway.url}/api/v1/hosts?limit=500${query}`, { token });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

async function load(title, url, token, meter) {
  const before = await meter.read();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
  });
  const figures = {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  };
  const usage = CpuMeter.between(before, await meter.read());
  const perRequest = (seconds) => ((seconds / Math.max(1, figures.requests)) * 1e6).toFixed(0);
  const parts = Object.entries(usage.groups).map(([label, group]) => `${label} ${perRequest(group.seconds)}`);
  parts.push(`autocannon ${perRequest(usage.own)}`);
  console.log(`  CPU µs per request: ${parts.join(', ')}`);
  console.log(
    `${title}: ${figures.rps.toFixed(0)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, ` +
      `${figures.non2xx} non-2xx, ${figures.errors} errors/timeouts (${figures.requests} requests)`,
  );
  return figures;
}

function verdict(ok) {
  return ok ? 'met' : 'MISSED';
}

async function main() {
  console.log(
    `gateway benchmark: ${os.cpus().length} CPUs, Node ${process.version}, ${HOSTS} hosts, ` +
      `${SERIES_HOURS} h of 1-minute data on one, ${CONNECTIONS} connections × ${SECONDS} s per run ` +
      '(load generator, services, NATS and Postgres share this machine)',
  );
  await ensureInfrastructure();
  const database = await createBenchDatabase();
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const nats = createNamespace();
  cleanup.add(`delete NATS streams of ${nats.namespace}`, () => nats.cleanup());
  console.log(`database ${database.name}, NATS namespace ${nats.namespace}`);

  const ingestToken = `opt_ing_${randomId(8)}_${randomBytes(24).toString('hex')}`;
  const shared = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace };
  await startService('auth', {
    ...shared,
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    OPTRALIS_BOOTSTRAP_INGEST_TOKEN: ingestToken,
  });
  const ingest = await startService('ingest', { ...shared, INGEST_RATE_LIMIT_PER_TOKEN: '10000000' });
  const gatewayEnv = {
    ...shared,
    GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND: '1000000',
    GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  const gateway = await startService('gateway', gatewayEnv);
  // The same reads with answer sharing off: what each request costs when it goes all the way to ingest.
  const uncachedGateway = await startService('gateway', { ...gatewayEnv, GATEWAY_READ_CACHE_MS: '0' });

  const login = await json(`${gateway.url}/api/v1/auth/login`, { method: 'POST', body: ADMIN });
  const { token } = await json(`${gateway.url}/api/v1/api-tokens`, {
    method: 'POST',
    token: login.accessToken,
    body: { name: 'bench', role: 'observer', expiresAt: null },
  });

  const seriesHostId = randomUUID();
  const range = await seed({ ingest, ingestToken, seriesHostId });
  const expectedPoints = SERIES_HOURS * 60;
  const seriesPath =
    `/api/v1/hosts/${seriesHostId}/metrics?name=cpu.usage_pct&from=${range.from}&to=${range.to}` +
    `&step=60s&maxPoints=${expectedPoints}`;
  console.log(`data in place: ${await waitForData({ gateway, token, seriesPath, expectedPoints })}`);

  /** CPU of the gateway under load and of everything behind it. */
  const meterOf = (loaded) =>
    new CpuMeter({
      gateway: () => [loaded.pid],
      ingest: () => [ingest.pid],
      postgres: () => pidsNamed('postgres'),
      nats: () => pidsNamed('nats-server'),
    });
  const meter = meterOf(gateway);
  const runs = [
    await load('GET /api/v1/hosts (50 per page)', `${gateway.url}/api/v1/hosts`, token, meter),
    await load(`GET …/metrics ${SERIES_HOURS} h at 60 s`, `${gateway.url}${seriesPath}`, token, meter),
  ];
  const uncachedMeter = meterOf(uncachedGateway);
  console.log('\nwith GATEWAY_READ_CACHE_MS=0 (every request asks ingest):');
  await load(
    'GET /api/v1/hosts (50 per page), unshared',
    `${uncachedGateway.url}/api/v1/hosts`,
    token,
    uncachedMeter,
  );
  await load(
    `GET …/metrics ${SERIES_HOURS} h at 60 s, unshared`,
    `${uncachedGateway.url}${seriesPath}`,
    token,
    uncachedMeter,
  );
  const [hosts, series] = runs;
  console.log('\n=== Targets (default configuration: reads shared for GATEWAY_READ_CACHE_MS = 1 s) ===');
  console.log(
    `hosts: ≥ ${TARGETS.hosts.minRps} req/s → ${hosts.rps.toFixed(0)} (${verdict(hosts.rps >= TARGETS.hosts.minRps)}); ` +
      `p99 < ${TARGETS.hosts.maxP99Ms} ms → ${hosts.p99} ms (${verdict(hosts.p99 < TARGETS.hosts.maxP99Ms)})`,
  );
  console.log(
    `series: p99 < ${TARGETS.series.maxP99Ms} ms → ${series.p99} ms (${verdict(series.p99 < TARGETS.series.maxP99Ms)})`,
  );
  if (runs.some((run) => run.non2xx > 0 || run.errors > 0)) {
    console.log('some answers were not 2xx or failed: the figures above include them');
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping child processes and cleaning up (again to force)`);
    cleanup.run().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(`\ngateway benchmark failed: ${error.message}`);
} finally {
  await cleanup.run();
}
