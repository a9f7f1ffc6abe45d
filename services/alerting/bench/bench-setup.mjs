// The alerting service under test and what it needs: a throw-away database, the built service on a
// free port, RPC calls on its namespaced subjects, its /metrics, its memory from /proc.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';

import { DATABASE_URL, freePort, NATS_URL, randomId, ROOT } from '../../ingest/bench/bench-environment.mjs';
import { startProcess, waitUntilReady } from '../../ingest/bench/service-process.mjs';
import { databaseTarget } from '../../../infra/local/targets.mjs';

const RPC_TIMEOUT_MS = 10_000;
const NO_RESPONDERS_GRACE_MS = 15_000;

async function onMaintenanceDatabase(sql) {
  const client = new pg.Client({
    connectionString: databaseTarget(DATABASE_URL).adminUrl,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database, as libs/testing createTestDatabase makes one. */
export async function createBenchDatabase() {
  const name = `bench_alerting_${randomId()}`;
  await onMaintenanceDatabase(`CREATE DATABASE "${name}"`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onMaintenanceDatabase(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export const SERVICE_MAIN = path.join(ROOT, 'services', 'alerting', 'dist', 'main.js');
const INGEST_MAINS = ['ingest', 'auth'].map((name) => path.join(ROOT, 'services', name, 'dist', 'main.js'));
export const CONTRACTS_MAIN = path.join(ROOT, 'libs', 'contracts', 'dist', 'index.js');

export function checkBuilt({ throughIngest = false } = {}) {
  for (const file of [SERVICE_MAIN, CONTRACTS_MAIN, ...(throughIngest ? INGEST_MAINS : [])]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${path.relative(ROOT, file)} is missing: build first (npx nx run-many -t build)`);
    }
  }
}

/**
 * Starts services/<name>/dist/main.js on a free port (`<NAME>_PORT`) and resolves once GET /ready
 * answers 200; the process is stopped by `cleanup`.
 */
export async function startService({ name, env, cleanup, readyTimeoutMs = 90_000 }) {
  const port = await freePort();
  const service = startProcess({
    name,
    command: process.execPath,
    args: [
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      path.join(ROOT, 'services', name, 'dist', 'main.js'),
    ],
    cwd: ROOT,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      NATS_URL,
      [`${name.toUpperCase()}_PORT`]: String(port),
      ...env,
    },
  });
  cleanup.add(`stop ${name}`, () => service.stop());
  service.url = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, `${service.url}/ready`, readyTimeoutMs);
  console.log(`${name}: ready on ${service.url} (pid ${service.pid})`);
  return service;
}

export const startAlerting = ({ env, cleanup }) => startService({ name: 'alerting', env, cleanup });

/** The rows of one query on `url`, on a connection of its own. */
export async function queryRows(url, sql) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** `/metrics` text of the service; throws when it does not answer. */
export async function scrape(service) {
  try {
    const response = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
    return await response.text();
  } catch (error) {
    throw new Error(`alerting /metrics could not be read: ${error.cause?.code ?? error.message}`);
  }
}

/** VmRSS (current resident set) in bytes, or undefined. */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `rpc.alerting.<method>` in the namespace and returns `data` of the `{ok:true,data}` envelope;
 * an `{ok:false,error}` answer, a timeout or nobody listening (after a grace period) is thrown as a
 * message naming the method.
 */
export function rpcCaller(connection, namespace) {
  return async function call(method, request) {
    const contractSubject = `rpc.alerting.${method}`;
    const deadline = Date.now() + NO_RESPONDERS_GRACE_MS;
    for (;;) {
      let reply;
      try {
        reply = await connection.request(
          `${namespace}.${contractSubject}`,
          Buffer.from(JSON.stringify(request)),
          { timeout: RPC_TIMEOUT_MS },
        );
      } catch (error) {
        if (error.code === '503' && Date.now() < deadline) {
          await sleep(500);
          continue;
        }
        const why =
          error.code === '503'
            ? 'nobody answers it (is the handler implemented and registered?)'
            : error.code === 'TIMEOUT'
              ? `no answer within ${RPC_TIMEOUT_MS / 1000} s`
              : error.message;
        throw new Error(`${contractSubject}: ${why}`);
      }
      let envelope;
      try {
        envelope = JSON.parse(Buffer.from(reply.data).toString('utf8'));
      } catch {
        throw new Error(`${contractSubject} answered with something that is not JSON`);
      }
      if (envelope?.ok === true) return envelope.data;
      const { code = '?', message = JSON.stringify(envelope), details } = envelope?.error ?? {};
      const detail = details ? `\n  details: ${JSON.stringify(details).slice(0, 800)}` : '';
      throw new Error(`${contractSubject} refused: ${code}: ${message}${detail}`);
    }
  };
}

/** Waits until `check()` returns a truthy value (returned) or throws `failure()` after `timeoutMs`. */
export async function waitFor(check, { timeoutMs, everyMs = 250, failure }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(failure(lastError));
}
