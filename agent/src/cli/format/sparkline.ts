const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * At most `width` values: longer series are cut into `width` runs of consecutive points and each run
 * becomes its average. Shorter ones stay as they are (one bar per point, nothing invented).
 */
export function resample(values: readonly number[], width: number): number[] {
  const columns = Math.max(1, Math.floor(width));
  if (values.length <= columns) return [...values];
  const sums = new Array<number>(columns).fill(0);
  const counts = new Array<number>(columns).fill(0);
  values.forEach((value, index) => {
    const column = Math.floor((index * columns) / values.length);
    sums[column] += value;
    counts[column] += 1;
  });
  return sums.map((sum, column) => sum / counts[column]);
}

/** One bar per resampled value, scaled between the lowest and the highest; a flat series is mid-height. */
export function sparkline(values: readonly number[], width: number): string {
  const points = resample(values, width);
  if (points.length === 0) return '';
  const low = Math.min(...points);
  const high = Math.max(...points);
  if (high === low) return BARS[3].repeat(points.length);
  return points
    .map((value) => BARS[Math.min(BARS.length - 1, Math.floor(((value - low) / (high - low)) * BARS.length))])
    .join('');
}

export interface SeriesSummary {
  min: number;
  max: number;
  avg: number;
  last: number;
}

export function summarise(values: readonly number[]): SeriesSummary | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  return { min, max, avg: sum / values.length, last: values[values.length - 1] };
}
