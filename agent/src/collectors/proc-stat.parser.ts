/** Time spent in each state since boot, in clock ticks; `user` and `nice` already include guest time. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export const CPU_STATES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/** The `cpu` (all CPUs) and `cpuN` lines of /proc/stat, by their first word; malformed lines are left out. */
export function parseProcStat(text: string): Map<string, CpuTimes> {
  const result = new Map<string, CpuTimes>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [key, ...fields] = line.trim().split(/\s+/);
    if (!/^cpu\d*$/.test(key) || fields.length < 4) continue;
    const values = fields.slice(0, CPU_STATES.length).map(Number);
    if (!values.every((value) => Number.isSafeInteger(value) && value >= 0)) continue;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
    result.set(key, { user, nice, system, idle, iowait, irq, softirq, steal });
  }
  return result;
}

/**
 * Percent of the interval spent in each state. Negative steps count as zero, as procps does: iowait
 * is known to go backwards on tickless kernels. Undefined when no time passed.
 */
export function cpuShares(
  before: CpuTimes,
  after: CpuTimes,
): Record<(typeof CPU_STATES)[number], number> | undefined {
  const steps = CPU_STATES.map((state) => Math.max(0, after[state] - before[state]));
  const total = steps.reduce((sum, step) => sum + step, 0);
  if (!(total > 0)) return undefined;
  const shares = {} as Record<(typeof CPU_STATES)[number], number>;
  CPU_STATES.forEach((state, index) => (shares[state] = (steps[index] / total) * 100));
  return shares;
}
