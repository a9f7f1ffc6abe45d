import type { Sample } from '@optralis/contracts/agent';

/** A series is its name and its labels in any order. */
export function seriesKey(sample: Sample): string {
  const labels = Object.entries(sample.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sample.name, labels]);
}
