import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { listDirectory, readText } from './host-files';
import { SampleList } from './sample-list';

/** Load averages (/proc/loadavg), uptime (/proc/uptime) and the number of processes (/proc/[0-9]*). */
export class SystemCollector implements Collector {
  readonly name = 'system';

  constructor(private readonly context: CollectorContext) {}

  async collect(): Promise<Sample[]> {
    const proc = this.context.paths.proc;
    const loadavg = readText(join(proc, 'loadavg'));
    const uptime = readText(join(proc, 'uptime'));
    const entries = listDirectory(proc);
    const list = new SampleList();
    const load = loadavg?.trim().split(/\s+/).slice(0, 3).map(decimal) ?? [];
    if (load.length === 3 && load.every((value) => value !== undefined && value >= 0)) {
      list.add('load.1m', load[0]);
      list.add('load.5m', load[1]);
      list.add('load.15m', load[2]);
    }
    const seconds = decimal(uptime?.trim().split(/\s+/)[0]);
    if (seconds !== undefined && seconds >= 0) list.add('system.uptime_seconds', seconds);
    const processes = entries.filter((entry) => /^\d+$/.test(entry)).length;
    // A readable /proc always lists at least this process: none at all means it could not be read.
    if (processes > 0) list.add('processes.total', processes);
    return list.samples;
  }
}

function decimal(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}
