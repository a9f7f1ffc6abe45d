// The peer: a Prometheus server with its remote-write receiver on, an empty scrape config and a
// throw-away TSDB directory, so the same remote-write load can be measured against it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { findExecutable } from '../../../infra/local/processes.mjs';
import { freePort } from './bench-environment.mjs';
import { runFleet, warmUp } from './fleet-simulator.mjs';
import { CpuMeter, peakRssBytes } from './process-usage.mjs';
import { remoteWriteFleet } from './remote-write-payload.mjs';
import { describeExit, startProcess, waitUntilReady } from './service-process.mjs';

const MINIMAL_CONFIG = [
  'global:',
  '  scrape_interval: 15s',
  '  evaluation_interval: 15s',
  'scrape_configs: []',
  '',
].join('\n');

/** The prometheus binary on PATH (or /usr/sbin, /usr/local/bin), or undefined. */
export function findPrometheus() {
  return findExecutable('prometheus');
}

async function prometheusVersion(binary) {
  const service = startProcess({ name: 'prometheus --version', command: binary, args: ['--version'] });
  await service.exited;
  return /version (\S+)/.exec(service.output())?.[1] ?? 'unknown version';
}

/** Starts Prometheus and waits for /-/ready; `stop()` ends it and deletes its directory. */
export async function startPrometheusPeer(binary) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'optralis-bench-prometheus-'));
  const configFile = path.join(directory, 'prometheus.yml');
  fs.writeFileSync(configFile, MINIMAL_CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const version = await prometheusVersion(binary);
  const service = startProcess({
    name: 'prometheus',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    cwd: directory,
  });
  const stop = async () => {
    await service.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(service, `${url}/-/ready`, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { service, url, version, directory, stop };
}

/** The remote-write load of `options` against a fresh Prometheus; the run in the report table's shape. */
export async function measurePrometheus(binary, options, cleanup) {
  const peer = await startPrometheusPeer(binary);
  cleanup.add('stop prometheus', () => peer.stop());
  console.log(
    `\nPrometheus ${peer.version} (${binary}): ready on ${peer.url} (pid ${peer.service.pid}), same remote-write load`,
  );
  const settings = {
    origin: peer.url,
    fleet: remoteWriteFleet(options),
    hosts: options.hosts,
    intervalMs: options.intervalMs,
    connections: options.connections,
    label: 'Prometheus',
  };
  const firstRound = await warmUp({ ...settings, seconds: options.warmupSeconds });
  const meter = new CpuMeter({ prometheus: () => [peer.service.pid] });
  const cpuBefore = await meter.read();
  const result = await runFleet({ ...settings, seconds: options.seconds, firstRound });
  const cpuAfter = await meter.read();
  const peakRss = peakRssBytes(peer.service.pid);
  if (peer.service.exit)
    throw new Error(`${describeExit(peer.service)} during the run:\n${peer.service.output()}`);
  await peer.stop();
  return {
    title: `Prometheus ${peer.version} remote-write`,
    fleet: result,
    lag: { source: 'n/a', note: 'n/a' },
    cpu: CpuMeter.between(cpuBefore, cpuAfter),
    peakRss,
    peakRssLabel: 'prometheus',
  };
}
