/** One line of /proc/diskstats; sectors are always 512 bytes there, whatever the device's own size. */
export interface DiskCounters {
  reads: number;
  readSectors: number;
  readMs: number;
  writes: number;
  writeSectors: number;
  writeMs: number;
  busyMs: number;
}

/** Counters by device name; lines with fewer than the 14 classic fields or non-numeric ones are left out. */
export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const result = new Map<string, DiskCounters>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 14) continue;
    const numbers = fields.slice(3, 14).map(Number);
    if (!numbers.every((value) => Number.isSafeInteger(value) && value >= 0)) continue;
    const [reads, , readSectors, readMs, writes, , writeSectors, writeMs, , busyMs] = numbers;
    result.set(fields[2], { reads, readSectors, readMs, writes, writeSectors, writeMs, busyMs });
  }
  return result;
}

export function counterList(counters: DiskCounters): number[] {
  return [
    counters.reads,
    counters.readSectors,
    counters.readMs,
    counters.writes,
    counters.writeSectors,
    counters.writeMs,
    counters.busyMs,
  ];
}
