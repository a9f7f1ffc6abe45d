import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { PreviousReading } from './counter-rate';
import { readText } from './host-files';
import { type CpuTimes, cpuShares, parseProcStat } from './proc-stat.parser';
import { SampleList } from './sample-list';

/**
 * CPU time shares from /proc/stat deltas: `cpu.*` for the whole machine, `cpu.core.*` (label `cpu`)
 * per logical CPU. Per-CPU series get their own names so that a rule or query on `cpu.usage_pct`
 * never mixes one busy core with the machine's total.
 */
export class CpuCollector implements Collector {
  readonly name = 'cpu';
  private readonly previous = new PreviousReading<Map<string, CpuTimes>>();

  constructor(private readonly context: CollectorContext) {}

  async collect(): Promise<Sample[]> {
    const text = readText(join(this.context.paths.proc, 'stat'));
    if (text === undefined) return [];
    const current = parseProcStat(text);
    if (current.size === 0) return [];
    const step = this.previous.swap(this.context.now(), current);
    if (!step) return [];
    const list = new SampleList();
    for (const [key, after] of current) {
      const before = step.previous.get(key);
      const shares = before && cpuShares(before, after);
      if (!shares) continue;
      const usage = 100 - shares.idle - shares.iowait;
      if (key === 'cpu') {
        list.add('cpu.usage_pct', usage);
        list.add('cpu.user_pct', shares.user);
        list.add('cpu.nice_pct', shares.nice);
        list.add('cpu.system_pct', shares.system);
        list.add('cpu.iowait_pct', shares.iowait);
        list.add('cpu.irq_pct', shares.irq + shares.softirq);
        list.add('cpu.steal_pct', shares.steal);
        list.add('cpu.idle_pct', shares.idle);
        continue;
      }
      const labels = { cpu: key.slice(3) };
      list.add('cpu.core.usage_pct', usage, labels);
      list.add('cpu.core.user_pct', shares.user, labels);
      list.add('cpu.core.system_pct', shares.system, labels);
      list.add('cpu.core.iowait_pct', shares.iowait, labels);
      list.add('cpu.core.steal_pct', shares.steal, labels);
    }
    return list.samples;
  }
}
