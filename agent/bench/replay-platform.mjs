// The built auth and ingest services as processes on a throw-away database and NATS namespace, as
// services/gateway/bench/gateway.bench.mjs starts them; auth makes the ingest token at its first start.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import {
  createBenchDatabase,
  createNamespace,
  ensureInfrastructure,
  freePort,
  NATS_URL,
  randomId,
  ROOT,
} from '../../services/ingest/bench/bench-environment.mjs';
import { startProcess, waitUntilReady } from '../../services/ingest/bench/service-process.mjs';

async function startService(name, env, cleanup) {
  const port = await freePort();
  const service = startProcess({
    name,
    command: process.execPath,
    args: [path.join(ROOT, 'services', name, 'dist', 'main.js')],
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

/** Auth and ingest on their own database and namespace; every step is undone by `cleanup`. */
export async function startPlatform({ cleanup, rateLimitPerToken }) {
  await ensureInfrastructure();
  const database = await createBenchDatabase();
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const nats = createNamespace();
  cleanup.add(`delete NATS streams of ${nats.namespace}`, () => nats.cleanup());
  console.log(`database ${database.name}, NATS namespace ${nats.namespace}`);

  const ingestToken = `opt_ing_${randomId(8)}_${randomBytes(24).toString('hex')}`;
  const shared = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace };
  await startService(
    'auth',
    {
      ...shared,
      AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: 'bench-admin@example.com',
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: 'Bench-Copper-Lantern-93',
      OPTRALIS_BOOTSTRAP_INGEST_TOKEN: ingestToken,
    },
    cleanup,
  );
  const ingest = await startService(
    'ingest',
    { ...shared, INGEST_RATE_LIMIT_PER_TOKEN: String(rateLimitPerToken) },
    cleanup,
  );
  return { ingest, ingestToken };
}

/** The sum of the series of `name` in a Prometheus exposition whose labels include `label` (`format="agent"`). */
function metricSum(text, name, label = '') {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name && (match[2] ?? '').includes(label)) sum += Number(match[3]);
  }
  return sum;
}

/** Ingest's counters from its Prometheus `/metrics`: agent reports published, samples received and stored. */
export async function ingestCounters(ingest) {
  const text = await (await fetch(`${ingest.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return {
    published: metricSum(text, 'ingest_reports_published_total', 'format="agent"'),
    samplesReceived: metricSum(text, 'ingest_samples_received_total', 'format="agent"'),
    samplesWritten: metricSum(text, 'ingest_samples_written_total'),
  };
}
