// What one simulated host reports: the metrics of a typical Linux agent, some with labels, and
// values that move like real ones (percentages in range, counters that only grow).

const BASE_CATALOGUE = [
  ['cpu.usage_pct', 'percent', 25, 20],
  ['cpu.user_pct', 'percent', 15, 12],
  ['cpu.system_pct', 'percent', 6, 4],
  ['cpu.iowait_pct', 'percent', 1.5, 1.5],
  ['cpu.steal_pct', 'percent', 0.3, 0.3],
  ['cpu.idle_pct', 'percent', 72, 20],
  ['load.1m', 'gauge', 1.2, 1],
  ['load.5m', 'gauge', 1.1, 0.6],
  ['load.15m', 'gauge', 1.0, 0.3],
  ['mem.used_pct', 'percent', 62, 8],
  ['mem.available_bytes', 'gauge', 9e9, 1e9],
  ['mem.cached_bytes', 'gauge', 6e9, 5e8],
  ['mem.buffers_bytes', 'gauge', 4e8, 5e7],
  ['swap.used_pct', 'percent', 3, 2],
  ['disk.used_pct', 'percent', 71, 2, { mount: '/' }],
  ['disk.used_pct', 'percent', 44, 3, { mount: '/var' }],
  ['disk.used_pct', 'percent', 12, 1, { mount: '/boot' }],
  ['disk.inodes_used_pct', 'percent', 18, 1, { mount: '/' }],
  ['disk.inodes_used_pct', 'percent', 9, 1, { mount: '/var' }],
  ['disk.read_bytes', 'counter', 2e6, 0, { device: 'sda' }],
  ['disk.write_bytes', 'counter', 5e6, 0, { device: 'sda' }],
  ['disk.io_util_pct', 'percent', 8, 7, { device: 'sda' }],
  ['disk.await_ms', 'gauge', 2.5, 2, { device: 'sda' }],
  ['net.rx_bytes', 'counter', 3e6, 0, { interface: 'eth0' }],
  ['net.tx_bytes', 'counter', 1.5e6, 0, { interface: 'eth0' }],
  ['net.rx_packets', 'counter', 4e3, 0, { interface: 'eth0' }],
  ['net.tx_packets', 'counter', 3e3, 0, { interface: 'eth0' }],
  ['net.rx_errors', 'counter', 0.01, 0, { interface: 'eth0' }],
  ['net.tx_errors', 'counter', 0.01, 0, { interface: 'eth0' }],
  ['net.rx_dropped', 'counter', 0.05, 0, { interface: 'eth0' }],
  ['net.tcp_established', 'gauge', 180, 60],
  ['net.tcp_time_wait', 'gauge', 40, 30],
  ['net.udp_datagrams', 'counter', 50, 0],
  ['processes.total', 'gauge', 310, 20],
  ['processes.running', 'gauge', 3, 2],
  ['processes.blocked', 'gauge', 0.2, 0.2],
  ['processes.zombie', 'gauge', 0.1, 0.1],
  ['system.uptime_seconds', 'counter', 1, 0],
  ['system.context_switches', 'counter', 9e3, 0],
  ['system.interrupts', 'counter', 7e3, 0],
  ['system.file_handles', 'gauge', 4200, 400],
  ['system.entropy_bits', 'gauge', 256, 0],
  ['ntp.offset_ms', 'signed', 0, 0.8],
  ['service.up', 'gauge', 1, 0, { service: 'nginx' }],
  ['service.up', 'gauge', 1, 0, { service: 'sshd' }],
  ['nginx.requests', 'counter', 250, 0],
  ['nginx.active_connections', 'gauge', 60, 40],
  ['temperature.celsius', 'gauge', 52, 6, { sensor: 'cpu' }],
  ['power.supply_ok', 'gauge', 1, 0],
  ['agent.collect_ms', 'gauge', 18, 6],
];

// Counters started 1 to 31 days before the benchmark (hosts booted at different times).
const COUNTERS_START_SECONDS = Math.floor(Date.now() / 1000) - 86_400;

/** `count` metric definitions: the catalogue above, then `custom.metric_<n>` gauges when more are asked for. */
export function metricCatalogue(count) {
  const metrics = BASE_CATALOGUE.slice(0, count).map(([name, kind, base, spread, labels]) => ({
    name,
    kind,
    base,
    spread,
    labels,
  }));
  for (let index = metrics.length; index < count; index++) {
    metrics.push({ name: `custom.metric_${index}`, kind: 'gauge', base: 100, spread: 50 });
  }
  return metrics;
}

/**
 * The value of metric `metricIndex` on host `hostIndex` at `timeMs`: waves with a per-host phase and a
 * little noise; counters grow by about `base` per second since a per-host start.
 */
export function metricValue(metric, hostIndex, metricIndex, timeMs) {
  const seconds = timeMs / 1000;
  if (metric.kind === 'counter') {
    const started = COUNTERS_START_SECONDS - ((hostIndex * 7919) % (30 * 86_400));
    return Math.round((seconds - started) * metric.base * (1 + (metricIndex % 5) / 10));
  }
  const phase = hostIndex * 0.37 + metricIndex * 1.13;
  const value =
    metric.base + metric.spread * (0.8 * Math.sin(seconds / 60 + phase) + 0.2 * (Math.random() * 2 - 1));
  const bounded =
    metric.kind === 'percent'
      ? Math.min(100, Math.max(0, value))
      : metric.kind === 'signed'
        ? value
        : Math.max(0, value);
  return Math.round(bounded * 100) / 100;
}
