import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { noneWentDown, PreviousReading } from './counter-rate';
import { type DiskCounters, counterList, parseDiskstats } from './diskstats.parser';
import { listDirectory, readText } from './host-files';
import { SampleList } from './sample-list';

const SECTOR_BYTES = 512;
// Memory-backed and loop devices: their IO is someone else's IO counted twice.
const IGNORED_DEVICES = /^(loop|ram|zram|fd)\d+$/;
// Partitions, for when /sys/block (which lists whole devices only) cannot be read.
const PARTITION = /^((h|s|v|xv)d[a-z]+\d+|(nvme\d+n\d+|mmcblk\d+)p\d+)$/;

/** Throughput, IOPS, latency and utilisation of whole block devices, from /proc/diskstats deltas. */
export class DiskIoCollector implements Collector {
  readonly name = 'disk-io';
  private readonly previous = new PreviousReading<Map<string, DiskCounters>>();

  constructor(private readonly context: CollectorContext) {}

  async collect(): Promise<Sample[]> {
    const text = readText(join(this.context.paths.proc, 'diskstats'));
    if (text === undefined) return [];
    const blockDevices = listDirectory(join(this.context.paths.sys, 'block'));
    const wholeDevices = new Set(blockDevices.map((name) => name.replaceAll('!', '/')));
    const current = new Map(
      [...parseDiskstats(text)].filter(([device]) => isWholeDevice(device, wholeDevices)),
    );
    if (current.size === 0) return [];
    const step = this.previous.swap(this.context.now(), current);
    const list = new SampleList();
    for (const [device, after] of current) {
      const labels = { device };
      list.add('disk.read_bytes', after.readSectors * SECTOR_BYTES, labels);
      list.add('disk.write_bytes', after.writeSectors * SECTOR_BYTES, labels);
      const before = step?.previous.get(device);
      if (!step || !before || !noneWentDown(counterList(before), counterList(after))) continue;
      addRates(list, labels, before, after, step.seconds);
    }
    return list.samples;
  }
}

function isWholeDevice(device: string, wholeDevices: ReadonlySet<string>): boolean {
  if (IGNORED_DEVICES.test(device)) return false;
  return wholeDevices.size > 0 ? wholeDevices.has(device) : !PARTITION.test(device);
}

function addRates(
  list: SampleList,
  labels: Record<string, string>,
  before: DiskCounters,
  after: DiskCounters,
  seconds: number,
): void {
  const reads = after.reads - before.reads;
  const writes = after.writes - before.writes;
  const waitMs = after.readMs - before.readMs + (after.writeMs - before.writeMs);
  list.add(
    'disk.read_bytes_per_sec',
    ((after.readSectors - before.readSectors) * SECTOR_BYTES) / seconds,
    labels,
  );
  list.add(
    'disk.write_bytes_per_sec',
    ((after.writeSectors - before.writeSectors) * SECTOR_BYTES) / seconds,
    labels,
  );
  list.add('disk.reads_per_sec', reads / seconds, labels);
  list.add('disk.writes_per_sec', writes / seconds, labels);
  // As iostat: no request finished, nobody waited.
  list.add('disk.await_ms', reads + writes > 0 ? waitMs / (reads + writes) : 0, labels);
  list.add(
    'disk.io_util_pct',
    Math.min(100, ((after.busyMs - before.busyMs) / (seconds * 1000)) * 100),
    labels,
  );
}
