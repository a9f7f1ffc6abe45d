// CPU seconds and peak memory of processes, read from /proc (Linux only; elsewhere the figures are absent).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const procAvailable = fs.existsSync('/proc/self/stat');

/** utime + stime of one process in seconds, or undefined when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Every process whose command name is exactly `name` (what `pgrep -x name` finds). */
export function pidsNamed(name) {
  if (!procAvailable) return [];
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return pids;
}

/** VmHWM (peak resident set) of a process in bytes, or undefined. */
export function peakRssBytes(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The parent pid of a process (for a Postgres backend: the postmaster), or undefined. */
export function parentPid(pid) {
  try {
    const match = /^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watches groups of processes: `groups` maps a label to a function returning (a promise of) its pids
 * now, looked up again at each reading, so Postgres backends that start during the run are counted.
 */
export class CpuMeter {
  constructor(groups, { excludedPids = new Set(), outsideTotal = [] } = {}) {
    this.groups = groups;
    this.excludedPids = excludedPids;
    this.outsideTotal = new Set(outsideTotal);
  }

  async read() {
    const reading = {};
    for (const [label, findPids] of Object.entries(this.groups)) {
      reading[label] = new Map();
      for (const pid of await findPids()) {
        if (this.excludedPids.has(pid)) continue;
        const seconds = cpuSeconds(pid);
        if (seconds !== undefined) reading[label].set(pid, seconds);
      }
    }
    return { reading, outsideTotal: this.outsideTotal, own: process.cpuUsage() };
  }

  /**
   * CPU seconds per group between two readings. A pid only in `after` started meanwhile: all its time
   * counts. A pid only in `before` ended meanwhile: its last slice is lost (counted in `endedPids`).
   * Groups named in `outsideTotal` (an overlapping, wider view) are marked `inTotal: false`.
   */
  static between(before, after) {
    const groups = {};
    for (const [label, pids] of Object.entries(after.reading)) {
      const earlier = before.reading[label] ?? new Map();
      let seconds = 0;
      for (const [pid, value] of pids) seconds += value - (earlier.get(pid) ?? 0);
      const endedPids = [...earlier.keys()].filter((pid) => !pids.has(pid)).length;
      groups[label] = { seconds, pids: pids.size, endedPids, inTotal: !after.outsideTotal.has(label) };
    }
    const own = (after.own.user - before.own.user + after.own.system - before.own.system) / 1e6;
    return { groups, own };
  }
}
