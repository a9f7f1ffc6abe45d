import type { AgentReport, Sample } from '@optralis/contracts';

/** Deterministic pseudo-random numbers (mulberry32), so that sizes do not change between runs. */
function numbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A report shaped like a real host's: CPU per core, memory, disks, filesystems, interfaces and
 * containers, `count` samples in all, every value changing from one report to the next and
 * rounded to three decimals like the collectors do. Random values are the hard case for gzip.
 */
export function hostReport(seq: number, count = 200): AgentReport {
  const random = numbers(seq + 1);
  const decimals = (max: number) => Math.round(random() * max * 1000) / 1000;
  const whole = (max: number) => Math.floor(random() * max);
  const metrics: Sample[] = [];
  const add = (name: string, value: number, labels?: Record<string, string>) =>
    metrics.push(labels === undefined ? { name, value } : { name, value, labels });
  for (const mode of ['usage', 'user', 'nice', 'system', 'iowait', 'irq', 'steal', 'idle']) {
    add(`cpu.${mode}_pct`, decimals(100));
  }
  for (let cpu = 0; cpu < 16; cpu += 1) {
    for (const mode of ['usage', 'user', 'system', 'iowait', 'steal', 'idle']) {
      add(`cpu.core.${mode}_pct`, decimals(100), { cpu: String(cpu) });
    }
  }
  for (const kind of ['total', 'used', 'free', 'available', 'cached', 'buffers']) {
    add(`mem.${kind}_bytes`, whole(64e9));
  }
  for (const device of ['nvme0n1', 'nvme1n1', 'sda', 'sdb']) {
    for (const name of ['read_bytes', 'write_bytes']) add(`disk.${name}`, whole(1e12), { device });
    for (const name of ['read_bytes_per_sec', 'write_bytes_per_sec', 'reads_per_sec', 'writes_per_sec']) {
      add(`disk.${name}`, decimals(1e6), { device });
    }
    add('disk.await_ms', decimals(50), { device });
    add('disk.io_util_pct', decimals(100), { device });
  }
  for (const mount of ['/', '/var', '/home']) {
    const labels = { mount, device: '/dev/sda1', fstype: 'ext4' };
    for (const name of ['total_bytes', 'used_bytes', 'free_bytes', 'inodes_total', 'inodes_used']) {
      add(`disk.${name}`, whole(1e12), labels);
    }
    add('disk.used_pct', decimals(100), labels);
    add('disk.inodes_used_pct', decimals(100), labels);
  }
  for (const iface of ['eth0', 'eth1', 'docker0']) {
    for (const direction of ['rx', 'tx']) {
      add(`net.${direction}_bytes`, whole(1e12), { interface: iface });
      for (const rate of ['bytes', 'packets', 'errors', 'dropped']) {
        add(`net.${direction}_${rate}_per_sec`, decimals(1e5), { interface: iface });
      }
    }
  }
  for (let container = 0; metrics.length < count; container += 1) {
    const labels = { container: `app-${container}`, image: 'registry.example.com/team/app:1.4.2' };
    add('docker.container_cpu_pct', decimals(100), labels);
  }
  return {
    host: { id: 'host-1', name: 'web-01', tags: ['prod'] },
    seq,
    time: new Date(Date.UTC(2026, 0, 1) + seq * 10_000).toISOString(),
    metrics: metrics.slice(0, count),
  };
}
