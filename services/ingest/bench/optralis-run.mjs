// One measured run against the Optralis ingest service: warm-up, the fleet's load, storage polled while
// it runs, the drain afterwards, lag from the service's histograms (or the Postgres probe), CPU per group.
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

import { agentFleet } from './agent-payload.mjs';
import { runFleet, warmUp } from './fleet-simulator.mjs';
import { fetchMetricsText, LAG_METRIC, lagBetween, REPORT_AGE_METRIC } from './lag-histogram.mjs';
import { CpuMeter, peakRssBytes } from './process-usage.mjs';
import { remoteWriteFleet } from './remote-write-payload.mjs';
import { describeExit } from './service-process.mjs';

export const TITLES = { agent: 'Optralis agent JSON', 'remote-write': 'Optralis remote-write' };
const STORAGE_POLL_MS = 5000;

export function fleetFor(format, options) {
  return format === 'agent' ? agentFleet(options) : remoteWriteFleet(options);
}

/**
 * One report of `format`, to learn whether the endpoint is there before spending a full run on it.
 * 401 and 503 are retried for a while: auth may still be creating the bootstrap token.
 */
export async function preflight(url, token, format, options) {
  const fleet = fleetFor(format, { ...options, hosts: 1 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    let answer;
    try {
      const response = await fetch(`${url}${fleet.path}`, {
        method: 'POST',
        headers: {
          'content-type': fleet.contentType,
          ...fleet.extraHeaders,
          authorization: `Bearer ${token}`,
        },
        body: fleet.body(0, 0, Date.now() - 60_000),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      answer = {
        ok: response.ok,
        retry: response.status === 401 || response.status === 503,
        detail: `POST ${fleet.path} → ${response.status} ${text.slice(0, 300)}`.trim(),
      };
    } catch (error) {
      answer = {
        ok: false,
        retry: true,
        detail: `POST ${fleet.path} failed: ${error.cause?.code ?? error.message}`,
      };
    }
    if (answer.ok || !answer.retry || Date.now() > deadline) return answer;
    await sleep(1000);
  }
}

/** Prints the stored samples of the run every few seconds while the load runs; `stop()` ends it. */
function watchStorage(probe, sinceMs) {
  let previous = { at: Date.now(), stored: 0 };
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const stored = await probe.storedSamples(sinceMs);
      const now = Date.now();
      if (stored === undefined) console.log('  storage: ingest.samples does not exist');
      else {
        const rate = ((stored - previous.stored) / (now - previous.at)) * 1000;
        console.log(
          `  storage: ${stored.toLocaleString('en')} samples stored, ${Math.round(rate).toLocaleString('en')}/s`,
        );
        previous = { at: now, stored };
      }
    } catch (error) {
      console.log(`  storage: reading failed: ${error.message}`);
    } finally {
      busy = false;
    }
  }, STORAGE_POLL_MS);
  return { stop: () => clearInterval(timer) };
}

export async function measureOptralis({ format, options, token, ingest, probe, meter, services }) {
  const fleet = fleetFor(format, options);
  const title = TITLES[format];
  console.log(
    `\n${title}: ${options.hosts} hosts × ${options.metrics} metrics every ${options.intervalMs} ms for ${options.seconds} s`,
  );
  const settings = {
    origin: ingest.url,
    fleet,
    token,
    hosts: options.hosts,
    intervalMs: options.intervalMs,
    connections: options.connections,
    label: title,
  };
  const firstRound = await warmUp({ ...settings, seconds: options.warmupSeconds });

  // Reports of this run carry times from now on: counting stored samples by time leaves the warm-up out.
  const sinceMs = Date.now();
  const metricsBefore = await fetchMetricsText(ingest.url);
  const histogramAvailable = metricsBefore?.includes(LAG_METRIC) ?? false;
  if (!histogramAvailable) {
    console.log(
      `  ${LAG_METRIC} is not in ingest /metrics: lag comes from polling Postgres for 1 % of the reports`,
    );
  }
  const lagProbe = histogramAvailable ? undefined : probe.startLagProbe(fleet.hostId);
  const cpuBefore = await meter.read();
  const storageWatch = watchStorage(probe, sinceMs);
  const result = await runFleet({
    ...settings,
    seconds: options.seconds,
    firstRound,
    onAccepted: lagProbe && ((hostIndex, timeMs) => lagProbe.track(hostIndex, timeMs)),
  });
  storageWatch.stop();
  const storedAtLoadEnd = await probe.storedSamples(sinceMs);
  const expected = result.accepted * fleet.samplesPerReport;
  console.log(
    `  load stopped; waiting up to ${options.drainSeconds} s for ${expected.toLocaleString('en')} samples to be stored`,
  );
  const drain = await probe.waitFor({ sinceMs, expected, timeoutMs: options.drainSeconds * 1000 });
  const cpuAfter = await meter.read();
  const metricsAfter = await fetchMetricsText(ingest.url);
  for (const service of services) {
    if (service.exit) throw new Error(`${describeExit(service)} during the run:\n${service.output()}`);
  }

  const storage =
    drain.stored === undefined
      ? { storedAfterDrain: undefined }
      : {
          duringLoadPerSecond: (storedAtLoadEnd ?? 0) / options.seconds,
          backlogAtLoadEnd: expected - (storedAtLoadEnd ?? 0),
          storedAfterDrain: drain.stored,
          drainMs: drain.waitedMs,
          complete: drain.complete,
          reason: drain.reason,
        };
  return {
    title,
    fleet: result,
    storage,
    lag: histogramAvailable ? lagBetween(LAG_METRIC, metricsBefore, metricsAfter) : await lagProbe.stop(),
    reportAge: lagBetween(REPORT_AGE_METRIC, metricsBefore, metricsAfter),
    cpu: CpuMeter.between(cpuBefore, cpuAfter),
    peakRss: peakRssBytes(ingest.pid),
    peakRssLabel: 'ingest',
  };
}
