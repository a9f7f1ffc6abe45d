/** A range-partitioned table of the plain-PostgreSQL store and how its partitions are cut. */
export interface PartitionedTable {
  table: 'samples' | 'rollup_1m' | 'rollup_1h';
  unit: 'day' | 'month';
}

export interface PartitionRange {
  table: PartitionedTable['table'];
  name: string;
  from: Date;
  to: Date;
}

export const PARTITIONED_TABLES: readonly PartitionedTable[] = [
  { table: 'samples', unit: 'day' },
  { table: 'rollup_1m', unit: 'day' },
  { table: 'rollup_1h', unit: 'month' },
];

const DAY_MS = 86_400_000;
/** Partitions exist this far ahead of now, so a missing one is an exception (clock jumps, long outages). */
export const DAYS_AHEAD = 2;

const pad = (value: number) => String(value).padStart(2, '0');

function start(unit: PartitionedTable['unit'], timeMs: number): Date {
  const date = new Date(timeMs);
  return unit === 'day'
    ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
    : new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function next(unit: PartitionedTable['unit'], from: Date): Date {
  return unit === 'day'
    ? new Date(from.getTime() + DAY_MS)
    : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
}

/** The partition (UTC day or month) that holds a time: `samples_20261121`, `rollup_1h_202611`. */
export function partitionFor(spec: PartitionedTable, timeMs: number): PartitionRange {
  const from = start(spec.unit, timeMs);
  const suffix =
    spec.unit === 'day'
      ? `${from.getUTCFullYear()}${pad(from.getUTCMonth() + 1)}${pad(from.getUTCDate())}`
      : `${from.getUTCFullYear()}${pad(from.getUTCMonth() + 1)}`;
  return { table: spec.table, name: `${spec.table}_${suffix}`, from, to: next(spec.unit, from) };
}

/** Every partition holding a time in [fromMs, toMs]. */
export function partitionsCovering(spec: PartitionedTable, fromMs: number, toMs: number): PartitionRange[] {
  const ranges: PartitionRange[] = [];
  for (
    let range = partitionFor(spec, fromMs);
    range.from.getTime() <= toMs;
    range = partitionFor(spec, range.to.getTime())
  ) {
    ranges.push(range);
  }
  return ranges;
}

/** What should exist: from the oldest time still retained to `DAYS_AHEAD` days from now. */
export function wantedPartitions(
  spec: PartitionedTable,
  nowMs: number,
  retentionDays: number,
): PartitionRange[] {
  return partitionsCovering(spec, nowMs - retentionDays * DAY_MS, nowMs + DAYS_AHEAD * DAY_MS);
}

/** Our partitions (by name) that end at or before the retention horizon: nothing in them is kept any more. */
export function expiredPartitions(
  spec: PartitionedTable,
  names: string[],
  nowMs: number,
  retentionDays: number,
): string[] {
  const horizon = nowMs - retentionDays * DAY_MS;
  const pattern = spec.unit === 'day' ? /^(\d{4})(\d{2})(\d{2})$/ : /^(\d{4})(\d{2})$/;
  return names.filter((name) => {
    if (!name.startsWith(`${spec.table}_`)) return false;
    const match = pattern.exec(name.slice(spec.table.length + 1));
    if (!match) return false;
    const from = Date.UTC(Number(match[1]), Number(match[2]) - 1, match[3] ? Number(match[3]) : 1);
    return next(spec.unit, new Date(from)).getTime() <= horizon;
  });
}
