// The state an agent leaves after an outage: a spool of reports 10 s apart with seqs 1…N, and a sequence
// store whose next number is N + 1. Written with the built agent's own code (report builder, gzip body,
// spool, sequence store), so the bodies are byte for byte what the daemon would have spooled.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src');
const require = createRequire(import.meta.url);
const { Spool } = require(path.join(DIST, 'spool', 'spool.js'));
const { encodeReport } = require(path.join(DIST, 'transport', 'encoded-body.js'));
const { buildReport } = require(path.join(DIST, 'reporting', 'report-builder.js'));
const { SequenceStore } = require(path.join(DIST, 'reporting', 'sequence-store.js'));

/** The agent adds six samples of its own health to every report (report-builder.ts). */
export const HEALTH_SAMPLES = 6;
const BOOTED_MS = Date.now() - 40 * 86_400_000;

/** The series of a 4-core host with 4 mounts, 2 disks and 2 interfaces: 144 + 6 health = 150 samples. */
function catalogue(count) {
  const series = [];
  const add = (name, labels, kind = 'gauge', base = 50) => series.push({ name, labels, kind, base });
  for (const measure of ['usage', 'user', 'nice', 'system', 'iowait', 'steal', 'idle', 'irq'])
    add(`cpu.${measure}_pct`, undefined, 'pct', measure === 'idle' ? 70 : 8);
  for (let cpu = 0; cpu < 4; cpu++)
    for (const measure of ['usage', 'user', 'system', 'iowait', 'steal'])
      add(`cpu.core.${measure}_pct`, { cpu: String(cpu) }, 'pct', 10);
  for (const window of ['1m', '5m', '15m']) add(`load.${window}`, undefined, 'gauge', 1.2);
  for (const measure of ['total', 'available', 'used', 'free', 'buffers', 'cached'])
    add(`mem.${measure}_bytes`, undefined, 'gauge', 8e9);
  add('mem.used_pct', undefined, 'pct', 60);
  for (const name of ['swap.total_bytes', 'swap.used_bytes']) add(name, undefined, 'gauge', 2e9);
  add('swap.used_pct', undefined, 'pct', 3);
  const mounts = [
    ['/', '/dev/sda1', 'ext4'],
    ['/boot', '/dev/sda2', 'ext4'],
    ['/var', '/dev/sdb1', 'xfs'],
    ['/run', 'tmpfs', 'tmpfs'],
  ];
  for (const [mount, device, fstype] of mounts) {
    for (const measure of ['total_bytes', 'used_bytes', 'free_bytes', 'inodes_total', 'inodes_used'])
      add(`disk.${measure}`, { mount, device, fstype }, 'gauge', 5e10);
    for (const measure of ['used_pct', 'inodes_used_pct'])
      add(`disk.${measure}`, { mount, device, fstype }, 'pct', 40);
  }
  for (const device of ['sda', 'sdb']) {
    for (const measure of ['read_bytes', 'write_bytes']) add(`disk.${measure}`, { device }, 'counter', 4e5);
    for (const measure of [
      'read_bytes_per_sec',
      'write_bytes_per_sec',
      'reads_per_sec',
      'writes_per_sec',
      'await_ms',
    ])
      add(`disk.${measure}`, { device }, 'gauge', 200);
    add('disk.io_util_pct', { device }, 'pct', 6);
  }
  for (const iface of ['eth0', 'eth1']) {
    for (const measure of ['rx_bytes', 'tx_bytes'])
      add(`net.${measure}`, { interface: iface }, 'counter', 2e6);
    for (const direction of ['rx', 'tx'])
      for (const measure of ['bytes', 'packets', 'errors', 'dropped'])
        add(
          `net.${direction}_${measure}_per_sec`,
          { interface: iface },
          'gauge',
          measure === 'bytes' ? 2e6 : 5,
        );
  }
  for (const zone of ['0', '1', '2'])
    add('temperature.celsius', { source: 'thermal', sensor: 'x86_pkg_temp', zone }, 'gauge', 48);
  add('processes.total', undefined, 'gauge', 310);
  add('system.uptime_seconds', undefined, 'uptime');
  add('systemd.units_failed', undefined, 'zero');
  // Past the fixed families the host simply runs more services and listens on more ports.
  for (let index = 0; series.length < count; index++) {
    if (index % 2 === 0)
      add('systemd.unit_active', { unit: `svc-${index}.service`, state: 'active', sub: 'running' }, 'one');
    else
      add(
        'net.listening_port',
        { protocol: 'tcp', address: '0.0.0.0', port: String(1000 + index), process: `svc-${index}` },
        'one',
      );
  }
  return series.slice(0, count);
}

function valueOf(series, index, timeMs) {
  const wave = Math.sin(timeMs / 600_000 + index) * 0.3 + (Math.random() - 0.5) * 0.1;
  const round = (value) => Math.round(value * 100) / 100;
  switch (series.kind) {
    case 'pct':
      return round(Math.min(100, Math.max(0, series.base * (1 + wave))));
    case 'counter':
      return Math.round(((timeMs - BOOTED_MS) / 1000) * series.base);
    case 'uptime':
      return Math.round((timeMs - BOOTED_MS) / 1000);
    case 'zero':
      return 0;
    case 'one':
      return 1;
    default:
      return round(series.base * (1 + wave));
  }
}

/** Spools `reports` reports of `samples` samples, the newest one `intervalMs` before `endMs`; returns their figures. */
export async function fillOutageSpool({
  stateDirectory,
  host,
  reports,
  samples,
  intervalMs,
  endMs,
  inventory,
}) {
  const series = catalogue(Math.max(0, samples - HEALTH_SAMPLES));
  const sequence = await SequenceStore.open({ directory: stateDirectory, blockSize: reports + 1 });
  // Its first number is 0, as a new agent's; the outage's reports take 1…N and the agent goes on from N + 1.
  await sequence.next();
  let clock = endMs;
  const spool = await Spool.open({ directory: path.join(stateDirectory, 'spool'), now: () => clock });
  let bodyBytes = 0;
  let sampleCount = 0;
  try {
    for (let index = 0; index < reports; index++) {
      const seq = await sequence.next();
      clock = endMs - (reports - index) * intervalMs;
      const stats = spool.stats();
      const { report } = buildReport({
        host,
        seq,
        time: clock,
        content: {
          metrics: series.map((entry, position) => ({
            name: entry.name,
            ...(entry.labels ? { labels: entry.labels } : {}),
            value: valueOf(entry, position, clock),
          })),
          ...(index === 0 ? { inventory } : {}),
        },
        health: {
          pendingReports: stats.pendingReports,
          spoolBytes: stats.bytes,
          droppedReports: 0,
          collectDurationMs: 40 + Math.random() * 20,
          sendFailures: index + 1,
          rejectedReports: 0,
        },
      });
      const body = await encodeReport(report);
      if ((await spool.append(body)) !== 'stored') throw new Error(`the spool refused report ${seq}`);
      bodyBytes += body.bytes.length;
      sampleCount += report.metrics.length;
    }
    return {
      firstSeq: 1,
      lastSeq: sequence.peekNext() - 1,
      bodyBytes,
      samples: sampleCount,
      spoolBytes: spool.stats().bytes,
    };
  } finally {
    await spool.close();
  }
}
