// npm run bench:ingest — a simulated fleet against the built ingest service (with auth for its token),
// on the running NATS and Postgres, in a throw-away database and NATS namespace. Measures accepted and
// stored samples per second, HTTP latency, end-to-end lag and CPU per million samples, then the same
// remote-write load against a Prometheus server when one is installed. Flags: see bench-options.mjs.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

import {
  Cleanup,
  createBenchDatabase,
  createNamespace,
  ensureInfrastructure,
  freePort,
  NATS_URL,
  randomId,
  ROOT,
} from './bench-environment.mjs';
import { parseOptions, USAGE } from './bench-options.mjs';
import { measureOptralis, preflight, TITLES } from './optralis-run.mjs';
import { CpuMeter, pidsNamed, procAvailable } from './process-usage.mjs';
import { findPrometheus, measurePrometheus } from './prometheus-peer.mjs';
import { decodeWriteRequest, remoteWriteFleet } from './remote-write-payload.mjs';
import { printPeerComparison, printRunTable, printTargets } from './report-table.mjs';
import { startProcess, waitUntilReady } from './service-process.mjs';
import { StorageProbe } from './storage-probe.mjs';

const ADMIN = { email: 'bench-admin@example.com', password: 'Bench-Copper-Lantern-93' };
const cleanup = new Cleanup();
// Every postgres process on the server, other databases' backends included: shown, but not in the total.
const ALL_POSTGRES = 'postgres, all (not in total)';

async function startService(name, env) {
  const port = await freePort();
  const service = startProcess({
    name,
    command: process.execPath,
    // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles") goes to the services' node, for profiling.
    args: [
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
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

function printErrors(runs) {
  for (const run of runs) {
    if (run.fleet.errorBodies.length === 0) continue;
    console.log(`\n${run.title}: first non-2xx answers:`);
    for (const body of run.fleet.errorBodies) console.log(`  ${body.replace(/\s+/g, ' ')}`);
  }
}

async function main() {
  const options = parseOptions();
  if (options.help) return console.log(USAGE);
  console.log(
    `ingest benchmark: ${os.cpus().length} CPUs, Node ${process.version}, ${options.hosts} hosts × ${options.metrics} metrics ` +
      `every ${options.intervalMs} ms, ${options.seconds} s per run (after ${options.warmupSeconds} s of warm-up), ` +
      `${options.connections} connections, format ${options.format}`,
  );
  if (!procAvailable) console.log('/proc is missing: CPU and memory figures will be absent');
  const sample = decodeWriteRequest(remoteWriteFleet({ ...options, hosts: 1 }).body(0, 1, Date.now()));
  if (sample.timeseries.length !== options.metrics)
    throw new Error('remote-write encoding self-check failed');

  await ensureInfrastructure();
  const database = await createBenchDatabase();
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const nats = createNamespace();
  cleanup.add(`delete NATS streams of ${nats.namespace}`, async () => {
    const deleted = await nats.cleanup();
    console.log(`cleanup: deleted ${deleted.length} NATS streams of namespace ${nats.namespace}`);
  });
  console.log(`database ${database.name}, NATS namespace ${nats.namespace}`);

  const token = `opt_ing_${randomId(8)}_${randomBytes(24).toString('hex')}`;
  const shared = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace };
  const auth = await startService('auth', {
    ...shared,
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    OPTRALIS_BOOTSTRAP_INGEST_TOKEN: token,
  });
  const ingest = await startService('ingest', { ...shared, INGEST_RATE_LIMIT_PER_TOKEN: '10000000' });
  const probe = await StorageProbe.connect(database.url);
  cleanup.add('close Postgres probe', () => probe.close());
  const meter = new CpuMeter(
    {
      auth: () => [auth.pid],
      ingest: () => [ingest.pid],
      'nats-server': () => pidsNamed('nats-server'),
      postgres: () => probe.serverPids(),
      [ALL_POSTGRES]: () => pidsNamed('postgres'),
    },
    { excludedPids: new Set([probe.backendPid]), outsideTotal: [ALL_POSTGRES] },
  );

  const runs = [];
  const skipped = [];
  for (const format of options.formats) {
    const check = await preflight(ingest.url, token, format, options);
    if (!check.ok) {
      console.log(`\n${TITLES[format]}: skipped, the endpoint is not usable: ${check.detail}`);
      skipped.push(`${TITLES[format]}: ${check.detail}`);
      continue;
    }
    runs.push(
      await measureOptralis({ format, options, token, ingest, probe, meter, services: [auth, ingest] }),
    );
  }
  await ingest.stop();
  await auth.stop();

  const binary = findPrometheus();
  let peer;
  let peerNote;
  if (options.peer === 'off') peerNote = 'Prometheus comparison skipped: --peer=off';
  else if (!binary)
    peerNote = 'Prometheus comparison skipped: no prometheus binary on PATH (Debian package `prometheus`)';
  else {
    try {
      peer = await measurePrometheus(binary, options, cleanup);
    } catch (error) {
      peerNote = `Prometheus comparison failed: ${error.message}`;
    }
  }

  console.log('\n=== Results ===');
  console.log(
    [
      'CPU: "postgres" = the backends of the benchmark database (not the probe reading it) + server-wide helpers',
      '(WAL writer, checkpointer, …) + postmaster; "postgres, all" adds every other database\'s backends.',
      'nats-server is counted whole and may serve other work on this machine. The load generator shares the machine.',
    ].join('\n'),
  );
  const all = peer ? [...runs, peer] : runs;
  if (all.length > 0) printRunTable(all);
  printErrors(all);
  if (runs.length > 0) printTargets(runs, options);
  for (const line of skipped) console.log(`\nskipped — ${line}`);
  if (peer && runs.length > 0)
    printPeerComparison(runs.find((run) => run.title === TITLES['remote-write']) ?? runs[0], peer);
  if (peerNote) console.log(`\n${peerNote}`);
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
  console.error(`\ningest benchmark failed: ${error.message}`);
  if (!error.message.includes('\n') && error.stack)
    console.error(error.stack.split('\n').slice(1, 4).join('\n'));
} finally {
  await cleanup.run();
}
