// The built agent's own cost on this host: CPU (% of one core) and RSS, sampled every second from /proc while it
// reports to a local HTTP server that accepts everything (202). Targets: < 1 % of one core, < 60 MB RSS.
// Run: npm run bench:agent (builds first), or node agent/bench/agent.bench.mjs [--duration 120] [--interval 10]
// By default the agent runs under the Node flags and environment of the installed launcher (infra/agent/optralis-agent);
// --plain runs a bare `node main.js run` for comparison.
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

const TARGET_CPU_PERCENT = 1;
const TARGET_RSS_MB = 60;
const HERE = dirname(fileURLToPath(import.meta.url));
const AGENT = join(HERE, '..', 'dist', 'src', 'daemon', 'main.js');
const LAUNCHER = join(HERE, '..', '..', 'infra', 'agent', 'optralis-agent');
const TOKEN = `opt_ing_benchmrk_${'0'.repeat(48)}`;

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const durationSeconds = option('duration', 120);
const intervalSeconds = option('interval', 10);
// Start-up (module loading, first inventory, JIT warm-up) is reported apart from the steady state the targets are about.
const warmupSeconds = option('warmup', Math.min(20, Math.floor(durationSeconds / 4)));
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const reports = [];
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let body = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const report = JSON.parse(body.toString('utf8'));
    const metric = (name) => report.metrics.find((sample) => sample.name === name)?.value;
    reports.push({
      seq: report.seq,
      samples: report.metrics.length,
      bytes: body.length,
      collectMs: metric('agent.collect_duration_ms'),
      inventory: report.inventory !== undefined,
    });
    response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1,"duplicates":0}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const directory = mkdtempSync(join(tmpdir(), 'optralis-agent-bench-'));
const configPath = join(directory, 'agent.json');
mkdirSync(join(directory, 'plugins.d'), { mode: 0o755 });
writeFileSync(
  configPath,
  JSON.stringify({
    server: `http://127.0.0.1:${server.address().port}`,
    token: TOKEN,
    host: { id: 'agent-bench', name: 'agent-bench' },
    intervalSeconds,
    stateDirectory: join(directory, 'state'),
    pluginsDirectory: join(directory, 'plugins.d'),
  }),
  { mode: 0o600 },
);
chmodSync(configPath, 0o600);

/** The flags between `node` and the script in the launcher's exec line, and its MALLOC_ARENA_MAX default. */
function launcherSettings() {
  const text = readFileSync(LAUNCHER, 'utf8');
  const flags = /^exec node (.*?) ?\/usr\/lib\/optralis-agent\//m.exec(text)?.[1] ?? '';
  const arenas = /MALLOC_ARENA_MAX:-(\d+)/.exec(text)?.[1];
  return {
    flags: flags.split(' ').filter(Boolean),
    env: arenas === undefined ? {} : { MALLOC_ARENA_MAX: arenas },
  };
}

const launcher = process.argv.includes('--plain') ? { flags: [], env: {} } : launcherSettings();
const agent = spawn(process.execPath, [...launcher.flags, AGENT, 'run', '--config', configPath], {
  env: { PATH: process.env.PATH, ...launcher.env },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
agent.stdout.on('data', (chunk) => (log += chunk));
agent.stderr.on('data', (chunk) => (log += chunk));
const exited = new Promise((resolve) => agent.once('exit', (code, signal) => resolve({ code, signal })));

function readProc() {
  const stat = readFileSync(`/proc/${agent.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${agent.pid}/status`, 'utf8');
  return {
    // utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after pid and comm.
    own: Number(fields[11]) + Number(fields[12]),
    children: Number(fields[13]) + Number(fields[14]),
    rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    // What the agent alone holds: VmRSS also counts the node binary's file pages, shared with every Node process.
    anonKb: Number(/^RssAnon:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    wall: performance.now(),
  };
}

const samples = [];
let failure;
let previous = readProc();
const started = performance.now();
process.stdout.write(
  `agent pid ${agent.pid}, interval ${intervalSeconds} s, ${durationSeconds} s (first ${warmupSeconds} s = start-up), ` +
    `node ${launcher.flags.join(' ') || '(no flags)'} ${JSON.stringify(launcher.env)}\n`,
);
while (performance.now() - started < durationSeconds * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (agent.exitCode !== null) {
    failure = new Error(`the agent exited early:\n${log.slice(-3000)}`);
    break;
  }
  const current = readProc();
  const seconds = (current.wall - previous.wall) / 1000;
  samples.push({
    at: (current.wall - started) / 1000,
    cpu: ((current.own - previous.own) / ticksPerSecond / seconds) * 100,
    childCpu: ((current.children - previous.children) / ticksPerSecond / seconds) * 100,
    rssMb: current.rssKb / 1024,
    anonMb: current.anonKb / 1024,
  });
  previous = current;
}

if (failure === undefined) agent.kill('SIGTERM');
const exit = await exited;
server.close();
rmSync(directory, { recursive: true, force: true });
if (failure !== undefined) throw failure;

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const describe = (label, values, unit, digits = 2) =>
  `${label.padEnd(34)} mean ${mean(values).toFixed(digits)}${unit}  p95 ${percentile(values, 95).toFixed(digits)}${unit}  max ${Math.max(...values).toFixed(digits)}${unit}`;

const steady = samples.filter((sample) => sample.at > warmupSeconds);
const collect = reports.map((report) => report.collectMs).filter((value) => typeof value === 'number');
const steadyCpu = mean(steady.map((sample) => sample.cpu + sample.childCpu));
const maxRss = Math.max(...samples.map((sample) => sample.rssMb));
const rows = [
  ['CPU, whole run (% of one core)', samples.map((sample) => sample.cpu), ' %', 2],
  ['CPU, steady state', steady.map((sample) => sample.cpu), ' %', 2],
  ['CPU of commands it ran, steady', steady.map((sample) => sample.childCpu), ' %', 2],
  ['RSS (MB)', samples.map((sample) => sample.rssMb), ' MB', 1],
  ['  of which private (RssAnon, MB)', samples.map((sample) => sample.anonMb), ' MB', 1],
  ['collection per cycle (ms)', collect, ' ms', 1],
];
for (const [label, values, unit, digits] of rows) console.log(describe(label, values, unit, digits));
console.log(
  `${'reports received'.padEnd(34)} ${reports.length} (seq ${reports[0]?.seq ?? '-'}…${reports.at(-1)?.seq ?? '-'}, ` +
    `${reports.filter((report) => report.inventory).length} with inventory), ` +
    `${Math.round(mean(reports.map((report) => report.samples)))} samples and ${Math.round(mean(reports.map((report) => report.bytes)) / 1024)} KiB per report`,
);
console.log(`${'agent exit after SIGTERM'.padEnd(34)} code ${exit.code} signal ${exit.signal}`);
const cpuOk = steadyCpu < TARGET_CPU_PERCENT;
const rssOk = maxRss < TARGET_RSS_MB;
console.log(
  `targets: CPU < ${TARGET_CPU_PERCENT} % (steady, with its commands): ${steadyCpu.toFixed(2)} % ${cpuOk ? 'OK' : 'MISSED'}; ` +
    `RSS < ${TARGET_RSS_MB} MB (max): ${maxRss.toFixed(1)} MB ${rssOk ? 'OK' : 'MISSED'}`,
);
if (!cpuOk || !rssOk) process.exitCode = 1;
