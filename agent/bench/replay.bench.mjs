// npm run bench:agent-replay — issue 7's target: "a 24 h outage replays completely within 10 minutes of the
// server's return without starving live reports", against the real ingest. Starts the built auth and ingest
// on a throw-away database and NATS namespace, fills a spool as 24 h of outage at a 10 s interval leaves it
// (8,640 reports, seqs 1…8640, the oldest 24 h old), starts the built agent on that state, and records every
// request through a pass-through proxy in front of ingest.
//   node agent/bench/replay.bench.mjs [--reports 8640] [--samples 150] [--duration 900] [--interval 10] [--rate-limit N]
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Cleanup, randomId } from '../../services/ingest/bench/bench-environment.mjs';
import { fillOutageSpool } from './outage-spool.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';
import { analyseExchanges } from './replay-analysis.mjs';
import { ingestCounters, startPlatform } from './replay-platform.mjs';

const AGENT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'src',
  'daemon',
  'main.js',
);
const TARGET_REPLAY_SECONDS = 600;
/** "About one interval and a few seconds" from a live report's creation to ingest's 202. */
const LIVE_SLACK_MS = 5000;

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const REPORTS = option('reports', 8640);
const SAMPLES = option('samples', 150);
const DURATION_SECONDS = option('duration', 900);
const INTERVAL_MS = option('interval', 10) * 1000;
// Ingest's INGEST_RATE_LIMIT_PER_TOKEN: high by default so the agent's own pace is measured; lower it to see 429s.
const RATE_LIMIT = option('rate-limit', 1_000_000);
const cleanup = new Cleanup();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const ok = (met) => (met ? 'met' : 'MISSED');

function startAgent(configPath) {
  // Its whole environment: an OPTRALIS_AGENT_* of ours would override the config file.
  const child = spawn(process.execPath, [AGENT, 'run', '--config', configPath], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const agent = {
    pid: child.pid,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
    async stop() {
      if (agent.running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
  cleanup.add('stop the agent', () => agent.stop());
  return agent;
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
async function cpuSeconds(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function segmentFiles(spoolDirectory) {
  const names = await readdir(spoolDirectory).catch(() => []);
  return names.filter((name) => name.startsWith('segment-')).length;
}

/** Waits until ingest answered 2xx for every seq 1…N and the spool has no segment file left. */
async function waitForReplay({ agent, proxy, spoolDirectory, startedAt }) {
  let lastProgress = startedAt;
  for (;;) {
    const accepted = new Set(
      proxy.exchanges.filter((x) => x.status < 300 && x.seq <= REPORTS).map((x) => x.seq),
    );
    const segments = await segmentFiles(spoolDirectory);
    const now = Date.now();
    if (accepted.size >= REPORTS && segments === 0) return { doneAt: now, complete: true };
    if (!agent.running()) throw new Error(`the agent exited during replay:\n${agent.output().slice(-3000)}`);
    if (now - startedAt > DURATION_SECONDS * 1000) return { doneAt: now, complete: false };
    if (now - lastProgress >= 10_000) {
      lastProgress = now;
      const live = proxy.exchanges.filter((x) => x.seq > REPORTS).length;
      console.log(
        `  ${seconds(now - startedAt)}: ${accepted.size}/${REPORTS} replayed, ${live} live, ${segments} segment files`,
      );
    }
    await sleep(100);
  }
}

async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await check();
    if (result) return result;
    await sleep(500);
  }
  return undefined;
}

async function main() {
  console.log(
    `agent replay benchmark: ${os.cpus().length} CPUs, Node ${process.version}; ${REPORTS} spooled reports × ${SAMPLES} ` +
      `samples at ${INTERVAL_MS / 1000} s (agent, proxy, auth, ingest, NATS and Postgres share this machine)`,
  );
  const { ingest, ingestToken } = await startPlatform({ cleanup, rateLimitPerToken: RATE_LIMIT });
  const proxy = await startRecordingProxy(ingest.url);
  cleanup.add('close the proxy', () => proxy.close());
  const directory = await mkdtemp(path.join(os.tmpdir(), 'optralis-replay-bench-'));
  cleanup.add(`remove ${directory}`, () => rm(directory, { recursive: true, force: true }));
  const stateDirectory = path.join(directory, 'state');
  const pluginsDirectory = path.join(directory, 'plugins.d');
  await mkdir(pluginsDirectory, { mode: 0o755 });
  const host = { id: `replay-bench-${randomId()}`, name: 'replay-bench' };

  const fillStarted = Date.now();
  const inventory = { os: 'Debian 12', kernel: '6.1.0-28-amd64', cpu: 'bench', memory_bytes: 17_179_869_184 };
  const fill = await fillOutageSpool({
    stateDirectory,
    host,
    reports: REPORTS,
    samples: SAMPLES,
    intervalMs: INTERVAL_MS,
    endMs: fillStarted,
    inventory,
  });
  console.log(
    `spool filled in ${seconds(Date.now() - fillStarted)}: seqs ${fill.firstSeq}…${fill.lastSeq}, ${fill.samples} samples, ` +
      `${(fill.spoolBytes / 1048576).toFixed(1)} MiB on disk (${Math.round(fill.bodyBytes / REPORTS)} B gzip per report), ` +
      `oldest ${seconds(REPORTS * INTERVAL_MS)} before the agent starts`,
  );

  const configPath = path.join(directory, 'agent.json');
  const config = {
    server: proxy.url,
    token: ingestToken,
    host,
    intervalSeconds: INTERVAL_MS / 1000,
    stateDirectory,
    pluginsDirectory,
  };
  await writeFile(configPath, JSON.stringify(config), { mode: 0o600 });
  const ingestCpuBefore = await cpuSeconds(ingest.pid);
  const startedAt = Date.now();
  const agent = startAgent(configPath);
  console.log(`agent pid ${agent.pid} started; replaying through ${proxy.url} → ${ingest.url}`);
  const replay = await waitForReplay({
    agent,
    proxy,
    spoolDirectory: path.join(stateDirectory, 'spool'),
    startedAt,
  });
  const replayCpu = { agent: await cpuSeconds(agent.pid), ingest: await cpuSeconds(ingest.pid) };
  // One live report after the spool emptied shows the loop kept its pace to the end.
  await waitFor(
    () => proxy.exchanges.some((x) => x.seq > REPORTS && x.timeMs > replay.doneAt && x.status < 300),
    INTERVAL_MS + LIVE_SLACK_MS,
  );
  const exit = await agent.stop();
  const stopped = agent.logs().find((line) => line.message === 'agent stopped');
  const result = analyseExchanges(proxy.exchanges, { reports: REPORTS, startedAt, doneAt: replay.doneAt });

  const expected = { published: result.distinctAccepted, samples: result.storedSamples };
  const counters = await waitFor(async () => {
    const current = await ingestCounters(ingest);
    return current.published >= expected.published && current.samplesWritten >= expected.samples
      ? current
      : undefined;
  }, 120_000);
  const finalCounters = counters ?? (await ingestCounters(ingest));

  const replaySeconds = (result.lastReplayAcceptedAt - result.firstReplayAt) / 1000;
  console.log('\n=== Replay ===');
  console.log(
    `spool empty (all ${REPORTS} seqs answered 2xx, no segment file left): ${seconds(replay.doneAt - startedAt)} after the agent started${replay.complete ? '' : ' — NOT COMPLETE at the --duration cap'}`,
  );
  console.log(
    `first replay request ${seconds(result.firstReplayAt - startedAt)} after start, last replayed seq accepted ${seconds(result.lastReplayAcceptedAt - startedAt)} after start`,
  );
  console.log(
    `replay rate: ${(REPORTS / replaySeconds).toFixed(0)} reports/s, ${(result.replaySamples / replaySeconds).toFixed(0)} samples/s (first request → last 202)`,
  );
  console.log(
    `requests: ${proxy.exchanges.length} (${result.replayRequests} replay), statuses ${JSON.stringify(result.statuses)}`,
  );
  console.log(
    `seqs 1…${REPORTS} accepted: ${REPORTS - result.missing}/${REPORTS}; seqs sent more than once: ${result.retried}, of them accepted (2xx) more than once: ${result.acceptedTwice}; duplicates reported by ingest: ${result.ingestDuplicates}`,
  );
  console.log('\n=== Live reports ===');
  console.log(
    `live reports: ${result.live.length} in all, ${result.liveDuringReplay.length} created during replay (first ${seconds(result.firstLiveAfterStart ?? NaN)} after start)`,
  );
  for (const entry of result.live)
    console.log(
      `  seq ${entry.seq}: +${seconds(entry.timeMs - startedAt)}, sent after ${entry.sentAt - entry.timeMs} ms, 202 after ${entry.delay} ms, ${entry.requests} request(s), spool pending ${entry.pending}`,
    );
  console.log(
    `max delay creation → 202: ${result.maxLiveDelay} ms; max gap between live reports: ${result.maxLiveGap} ms; gaps in live seqs: ${result.liveSeqGaps}`,
  );
  console.log('\n=== Agent ===');
  console.log(
    `exit after SIGTERM: code ${exit.code} signal ${exit.signal}; stats: ${JSON.stringify(stopped ? { delivered: stopped.delivered, sendFailures: stopped.sendFailures, rejectedReports: stopped.rejectedReports, spooled: stopped.spooled, spool: stopped.spool } : 'no "agent stopped" line')}`,
  );
  const replayWall = (replay.doneAt - startedAt) / 1000;
  console.log(
    `CPU until the spool was empty: agent ${replayCpu.agent.toFixed(1)} s (${((replayCpu.agent / replayWall) * 100).toFixed(0)} % of one core), ` +
      `ingest ${(replayCpu.ingest - ingestCpuBefore).toFixed(1)} s (${(((replayCpu.ingest - ingestCpuBefore) / replayWall) * 100).toFixed(0)} %)`,
  );
  const complaints = agent.logs().filter((line) => line.level === 'warn' || line.level === 'error');
  console.log(`warn/error log lines: ${complaints.length}`);
  for (const line of complaints.slice(0, 10)) console.log(`  ${JSON.stringify(line)}`);
  console.log('\n=== Ingest ===');
  console.log(
    `ingest_reports_published_total{format="agent"} ${finalCounters.published} (≥ ${expected.published} expected), ingest_samples_received_total ${finalCounters.samplesReceived}, ingest_samples_written_total ${finalCounters.samplesWritten} (≥ ${expected.samples} expected: the samples of every distinct seq accepted)${counters ? '' : ' — NOT REACHED within 120 s'}`,
  );

  const ingestLines = ingest.output(200).split('\n').filter(Boolean);
  console.log(`ingest log lines (LOG_LEVEL=warn): ${ingestLines.length}`);
  for (const line of ingestLines.slice(0, 10)) console.log(`  ${line.slice(0, 400)}`);

  const replayMet =
    replay.complete && result.missing === 0 && (replay.doneAt - startedAt) / 1000 <= TARGET_REPLAY_SECONDS;
  const liveLimit = INTERVAL_MS + LIVE_SLACK_MS;
  const liveMet =
    result.live.length > 0 &&
    result.maxLiveDelay <= liveLimit &&
    result.maxLiveGap <= liveLimit &&
    result.liveSeqGaps === 0;
  console.log('\n=== Target (issue 7) ===');
  console.log(
    `replay of ${REPORTS} reports complete ≤ ${TARGET_REPLAY_SECONDS} s: ${seconds(replay.doneAt - startedAt)} (${ok(replayMet)})`,
  );
  console.log(
    `live reports never delayed past ${liveLimit / 1000} s (creation → 202, and between two live reports): max ${seconds(result.maxLiveDelay)} / ${seconds(result.maxLiveGap)} (${ok(liveMet)})`,
  );
  console.log(`stored by ingest: ${counters ? 'met' : 'MISSED'}`);
  if (!replayMet || !liveMet || !counters) process.exitCode = 1;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the agent and the services, cleaning up (again to force)`);
    cleanup.run().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  // After Ctrl-C the agent's exit is ours, not a failure worth a stack.
  if (!interrupted) console.error(`\nagent replay benchmark failed: ${error.stack}`);
} finally {
  await cleanup.run();
}
