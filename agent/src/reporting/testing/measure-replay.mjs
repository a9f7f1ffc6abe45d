// By-hand measurement (not a test): how long the agent takes to replay a 24 h outage.
// Spools 8,640 reports of 200 samples (10 s interval), starts a local ingest stand-in that accepts
// with ~2 ms latency, starts the reporting loop and times the spool down to empty.
//   node agent/src/reporting/testing/measure-replay.mjs [reports] [samples] [latencyMs]
import { Buffer } from 'node:buffer';
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const [reports = 8640, samples = 200, latencyMs = 2] = process.argv.slice(2).map(Number);
const AGENT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ROOT = resolve(AGENT, '..');

if (process.argv[2] === '--serve') {
  const { FakeIngest } = createRequire(import.meta.url)(process.argv[3]);
  const ingest = await FakeIngest.start({ latencyMs: Number(process.env.LATENCY_MS) });
  process.send({ url: ingest.url });
  process.on('message', () => {
    const stored = new Set(ingest.stored);
    const expected = Number(process.env.REPORTS);
    const missing = Array.from({ length: expected }, (_, seq) => seq).filter(
      (seq) => !stored.has(seq),
    ).length;
    process.send({ requests: ingest.received.length, duplicates: ingest.duplicates(), missing });
  });
  await new Promise(() => undefined);
}

const out = await mkdtemp(join(tmpdir(), 'optralis-measure-'));
const state = join(out, 'state');
try {
  const config = {
    extends: join(ROOT, 'tsconfig.base.json'),
    compilerOptions: {
      rootDir: join(AGENT, 'src'),
      outDir: out,
      declaration: false,
      sourceMap: false,
      typeRoots: [join(ROOT, 'node_modules/@types')],
    },
    files: ['reporting/reporting-loop.ts', 'transport/testing/fake-ingest.ts'].map((file) =>
      join(AGENT, 'src', file),
    ),
  };
  await writeFile(join(out, 'tsconfig.json'), JSON.stringify(config));
  await promisify(execFile)(process.execPath, [
    join(ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(out, 'tsconfig.json'),
  ]);
  await symlink(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  const require = createRequire(join(out, 'index.js'));
  const { Spool } = require('./spool/spool.js');
  const { encodeReport } = require('./transport/encoded-body.js');
  const { ReportingLoop } = require('./reporting/reporting-loop.js');
  const { silentLogger } = require('./reporting/logger.js');

  const metrics = Array.from({ length: samples }, (_, index) => ({
    name: `system.cpu.usage_pct`,
    value: Math.round(Math.random() * 10_000) / 100,
    labels: { cpu: String(index), mode: 'user' },
  }));
  const start = Date.UTC(2026, 0, 1);
  const spool = await Spool.open({ directory: join(state, 'spool') });
  const reportOf = (seq) => ({
    host: { id: 'host-1', name: 'web-01' },
    seq,
    time: new Date(start + seq * 10_000).toISOString(),
    metrics,
  });
  const spoolingCpu = process.cpuUsage();
  let spooling = performance.now();
  for (let seq = 0; seq < reports; seq += 1) {
    // As the reporting loop spools them: serialised and compressed once.
    await spool.append(await encodeReport(reportOf(seq)));
  }
  spooling = performance.now() - spooling;
  const spoolingUsed = process.cpuUsage(spoolingCpu);
  const { bytes } = spool.stats();
  await spool.close();
  let jsonBytes = 0;
  for (let seq = 0; seq < reports; seq += 1) jsonBytes += Buffer.byteLength(JSON.stringify(reportOf(seq)));

  // Ingest runs in its own process so the CPU figure is the agent's alone.
  const ingest = fork(
    fileURLToPath(import.meta.url),
    ['--serve', join(out, 'transport/testing/fake-ingest.js')],
    {
      env: { ...process.env, LATENCY_MS: String(latencyMs), REPORTS: String(reports) },
    },
  );
  const [{ url }] = await once(ingest, 'message');
  await writeFile(join(state, 'sequence.json'), JSON.stringify({ reservedUpTo: reports }));
  const loop = await ReportingLoop.open({
    serverUrl: url,
    token: 'opt_ing_abcdefgh_0123456789abcdef0123456789abcdef0123456789abcdef',
    host: { id: 'host-1', name: 'web-01' },
    stateDirectory: state,
    source: { next: async () => ({ metrics }) },
    logger: silentLogger,
  });
  const cpu = process.cpuUsage();
  const began = performance.now();
  loop.start();
  while (loop.stats().spool.pendingReports > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const replayMs = performance.now() - began;
  const used = process.cpuUsage(cpu);
  await loop.stop();
  ingest.send('report');
  const [received] = await once(ingest, 'message');
  ingest.kill();
  console.log(
    JSON.stringify({
      reports,
      samples,
      latencyMs,
      spoolMiB: Math.round((bytes / 1024 / 1024) * 10) / 10,
      jsonMiB: Math.round((jsonBytes / 1024 / 1024) * 10) / 10,
      spoolWriteSeconds: Math.round(spooling) / 1000,
      spoolWriteCpuSeconds: Math.round((spoolingUsed.user + spoolingUsed.system) / 1000) / 1000,
      replaySeconds: Math.round(replayMs) / 1000,
      reportsPerSecond: Math.round(reports / (replayMs / 1000)),
      cpuSeconds: Math.round((used.user + used.system) / 1000) / 1000,
      ...received,
    }),
  );
} finally {
  await rm(out, { recursive: true, force: true });
}
