import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { readText } from './host-files';
import { parseMeminfo } from './meminfo.parser';
import { SampleList } from './sample-list';

/** Memory and swap from /proc/meminfo; "used" is what is not available, as `free` counts it. */
export class MemoryCollector implements Collector {
  readonly name = 'memory';

  constructor(private readonly context: CollectorContext) {}

  async collect(): Promise<Sample[]> {
    const text = readText(join(this.context.paths.proc, 'meminfo'));
    if (text === undefined) return [];
    const fields = parseMeminfo(text);
    const list = new SampleList();
    const total = fields.get('MemTotal');
    if (total !== undefined && total > 0) {
      const buffers = fields.get('Buffers') ?? 0;
      const cached = (fields.get('Cached') ?? 0) + (fields.get('SReclaimable') ?? 0);
      // Kernels before 3.14 have no MemAvailable; free + buffers + page cache is the usual estimate.
      const available = Math.min(
        total,
        fields.get('MemAvailable') ?? (fields.get('MemFree') ?? 0) + buffers + cached,
      );
      const used = total - available;
      list.add('mem.total_bytes', total);
      list.add('mem.available_bytes', available);
      list.add('mem.used_bytes', used);
      list.add('mem.used_pct', (used / total) * 100);
      list.add('mem.free_bytes', fields.get('MemFree'));
      list.add('mem.buffers_bytes', fields.get('Buffers'));
      list.add('mem.cached_bytes', fields.has('Cached') ? cached : undefined);
    }
    const swapTotal = fields.get('SwapTotal');
    const swapFree = fields.get('SwapFree');
    if (swapTotal !== undefined && swapFree !== undefined) {
      const swapUsed = Math.max(0, swapTotal - swapFree);
      list.add('swap.total_bytes', swapTotal);
      list.add('swap.used_bytes', swapUsed);
      list.add('swap.used_pct', swapTotal > 0 ? (swapUsed / swapTotal) * 100 : 0);
    }
    return list.samples;
  }
}
