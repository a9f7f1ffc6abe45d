// Optralis agent reports (CONTRACT.md "Metric intake"): POST /v1/agent/reports, one JSON body per
// host and interval. Bodies are assembled from per-host and per-metric fragments prepared once, so the
// load generator spends its CPU on sending rather than on JSON.stringify.
import { metricCatalogue, metricValue } from './metric-catalogue.mjs';

export const AGENT_PATH = '/v1/agent/reports';

/** A stable UUID-shaped host id per index, as agents derive one from the machine's DMI UUID. */
export function agentHostId(hostIndex) {
  const hex = hostIndex.toString(16).padStart(12, '0');
  return `4c4c4544-0042-4e10-8052-${hex}`;
}

export function agentHostName(hostIndex) {
  return `web-${String(hostIndex + 1).padStart(5, '0')}`;
}

function inventoryFor(hostIndex) {
  return {
    os: 'Debian 12',
    kernel: '6.1.0-28-amd64',
    cpu: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
    cpu_cores: 8,
    memory_bytes: 34_359_738_368,
    agent_version: '1.4.2',
    rack: `r${hostIndex % 40}`,
  };
}

/**
 * `hosts` simulated agents reporting `metrics` metrics. `body(hostIndex, seq, timeMs)` returns the
 * JSON text of one report; the first report of a host (and every 300th) carries its inventory.
 */
export function agentFleet({ hosts, metrics }) {
  const catalogue = metricCatalogue(metrics);
  const metricPrefixes = catalogue.map((metric) => {
    const labels = metric.labels ? `,"labels":${JSON.stringify(metric.labels)}` : '';
    return `{"name":${JSON.stringify(metric.name)}${labels},"value":`;
  });
  const hostPrefixes = Array.from({ length: hosts }, (_, hostIndex) =>
    JSON.stringify({
      host: {
        id: agentHostId(hostIndex),
        name: agentHostName(hostIndex),
        tags: ['bench', `zone-${hostIndex % 3}`],
      },
    }).slice(0, -1),
  );

  return {
    path: AGENT_PATH,
    contentType: 'application/json',
    samplesPerReport: metrics,
    hostId: agentHostId,
    body(hostIndex, seq, timeMs) {
      let metricsJson = '';
      for (let index = 0; index < catalogue.length; index++) {
        const value = metricValue(catalogue[index], hostIndex, index, timeMs);
        metricsJson += `${index === 0 ? '' : ','}${metricPrefixes[index]}${value}}`;
      }
      const inventory = seq % 300 === 1 ? `,"inventory":${JSON.stringify(inventoryFor(hostIndex))}` : '';
      const time = new Date(timeMs).toISOString();
      return `${hostPrefixes[hostIndex]},"seq":${seq},"time":"${time}","metrics":[${metricsJson}]${inventory}}`;
    },
  };
}
