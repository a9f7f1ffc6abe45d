// `npm start`: infrastructure up, build, then the six services as one supervised group.
// A service that exits on its own stops the whole group (exit code 1): a half-running platform
// hides the failure. Ctrl-C / SIGTERM stops every service (SIGTERM, SIGKILL after 10 s), exit 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createConcurrently, LogError, LogExit, LogOutput, Logger } from 'concurrently';

import { prepareWorkspace, runChild } from './child.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY_BUDGET_MS = 60_000;
const KILL_AFTER_MS = 10_000;
const SERVICES = [
  { name: 'gateway', port: 8080, color: 'blue', entry: '/api/v1/system/status', role: 'public REST API' },
  {
    name: 'ingest',
    port: 8081,
    color: 'green',
    entry: '',
    role: 'metric intake: agent, Influx, remote-write, OTLP',
  },
  { name: 'auth', port: 8082, color: 'magenta', entry: null, role: 'RPC over NATS' },
  { name: 'alerting', port: 8083, color: 'cyan', entry: null, role: 'RPC over NATS' },
  { name: 'reports', port: 8084, color: 'yellow', entry: null, role: 'RPC over NATS' },
  { name: 'ai', port: 8085, color: 'red', entry: null, role: 'RPC over NATS' },
].map((service) => ({
  ...service,
  port: Number(process.env[`${service.name.toUpperCase()}_PORT`] || service.port),
}));

const loud = (text) => console.error(`\n\x1b[1;41;97m ${text} \x1b[0m\n`);
const say = (text) => console.log(`\x1b[1m[start]\x1b[0m ${text}`);

let current; // the setup step running now, if any
let group; // the concurrently group, once started
let shutdownCode;
let firstSignalAt = 0;

function run(command, args) {
  return runChild(command, args, { cwd: ROOT, track: (child) => (current = child) });
}

async function step(label, command, args) {
  say(label);
  const code = await run(command, args);
  if (shutdownCode !== undefined) process.exit(shutdownCode);
  if (code !== 0) {
    loud(`${label} failed (exit code ${code})`);
    process.exit(code);
  }
}

function stopGroup(code) {
  if (shutdownCode !== undefined) {
    // Under `npm start` one Ctrl-C arrives twice (from the terminal and forwarded by npm).
    if (code === 0 && Date.now() - firstSignalAt > 2000) {
      say('second signal: killing every service now');
      group?.commands.forEach((command) => command.kill('SIGKILL'));
    }
    return;
  }
  shutdownCode = code;
  if (!group) {
    current?.kill('SIGTERM');
    return;
  }
  say('stopping every service (SIGTERM)');
  group.commands.forEach((command) => command.kill('SIGTERM'));
  setTimeout(() => {
    const left = group.commands.filter((command) => command.process);
    if (left.length === 0) return;
    say(
      `still running after ${KILL_AFTER_MS / 1000} s: ${left.map((c) => c.name.trim()).join(', ')}; SIGKILL`,
    );
    left.forEach((command) => command.kill('SIGKILL'));
  }, KILL_AFTER_MS).unref();
}

const stopRequested = () => {
  firstSignalAt ||= Date.now();
  stopGroup(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stopRequested);
// `npm start` runs this through `sh -c`; npm passes a SIGTERM to that shell, which dies without
// passing it on. Losing the parent therefore counts as a stop request too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && shutdownCode === undefined) {
    say('parent process is gone: stopping');
    stopRequested();
  }
}, 500).unref();

async function readiness(service) {
  try {
    const response = await fetch(`http://127.0.0.1:${service.port}/ready`, {
      signal: AbortSignal.timeout(2000),
    });
    if (response.ok) return { ready: true };
    const body = (await response.text()).trim();
    return { ready: false, reason: `${response.status} ${body.slice(0, 300)}` };
  } catch (error) {
    return { ready: false, reason: error.cause?.code ?? error.message };
  }
}

async function waitUntilReady() {
  const deadline = Date.now() + READY_BUDGET_MS;
  let states = [];
  while (shutdownCode === undefined) {
    states = await Promise.all(SERVICES.map(async (service) => ({ service, ...(await readiness(service)) })));
    if (states.every((state) => state.ready) || Date.now() > deadline) break;
    await sleep(1000);
  }
  return states;
}

function printTable(states) {
  const url = (service, suffix) => `http://localhost:${service.port}${suffix}`;
  const rows = states.map(({ service, ready }) => [
    service.name,
    ready ? 'ready' : 'NOT READY',
    url(service, '/health'),
    service.entry === null ? service.role : `${url(service, service.entry)}  (${service.role})`,
  ]);
  const header = ['service', 'state', 'health', 'use'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `  ${cells.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd();
  console.log(['', line(header), ...rows.map(line), ''].join('\n'));
  say(
    'Ctrl-C stops the services. NATS and Postgres keep running: `npm run infra:down` stops what infra.mjs started.',
  );
}

await prepareWorkspace(ROOT, step);

const missing = SERVICES.filter(
  ({ name }) => !fs.existsSync(path.join(ROOT, 'services', name, 'dist', 'main.js')),
);
if (missing.length > 0) {
  loud(`not built: ${missing.map(({ name }) => `services/${name}/dist/main.js`).join(', ')}`);
  process.exit(1);
}

const width = Math.max(...SERVICES.map(({ name }) => name.length));
const logger = new Logger({ prefixFormat: 'name' });
group = createConcurrently(
  SERVICES.map((service) => ({
    name: service.name.padEnd(width),
    command: `exec node services/${service.name}/dist/main.js`,
    prefixColor: service.color,
  })),
  {
    cwd: ROOT,
    logger,
    outputStream: process.stdout,
    controllers: [new LogError({ logger }), new LogOutput({ logger }), new LogExit({ logger })],
    // Own process group per service: a terminal's Ctrl-C reaches only this supervisor, which then
    // sends exactly one SIGTERM to each service (tree-kill) instead of a SIGINT + SIGTERM pair.
    spawn: (command, options) => spawn('/bin/sh', ['-c', command], { ...options, detached: true }),
  },
);
say(`started ${SERVICES.map(({ name }) => name).join(', ')}`);

for (const command of group.commands) {
  command.close.subscribe(({ exitCode }) => {
    if (shutdownCode !== undefined) return;
    loud(`${command.name.trim()} EXITED UNEXPECTEDLY (exit code ${exitCode}): stopping all services`);
    stopGroup(1);
  });
}

const finished = group.result.then(
  () => undefined,
  () => undefined,
);
const states = await Promise.race([waitUntilReady(), finished.then(() => [])]);
if (shutdownCode === undefined) {
  const late = states.filter((state) => !state.ready);
  if (late.length > 0) {
    loud(
      `not ready after ${READY_BUDGET_MS / 1000} s: ${late.map(({ service }) => service.name).join(', ')}`,
    );
    for (const { service, reason } of late) console.error(`  ${service.name}: ${reason}`);
    say('the services keep running and retrying; the table below shows where each one answers');
  } else {
    say('all six services are ready');
  }
  printTable(states);
}

await finished;
say(shutdownCode === 0 ? 'all services stopped' : 'stopped after a service failure');
process.exit(shutdownCode ?? 1);
