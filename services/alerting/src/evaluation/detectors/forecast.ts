import type { Condition } from './condition';

/** Flat [startTime, sum, count, startTime, sum, count, …] to stay compact; starts ascend. */
export interface ForecastState {
  bucketSeconds: number;
  buckets: number[];
}

export interface Forecast {
  hoursToLimit: number | null;
  slopePerHour: number;
  latest: number;
  samples: number;
}

const BUCKETS_PER_WINDOW = 60;
const STRIDE = 3;
const MIN_BUCKETS = 3;
const HOUR = 3_600_000;

export function newForecastState(windowSeconds: number): ForecastState {
  return { bucketSeconds: Math.max(1, Math.ceil(windowSeconds / BUCKETS_PER_WINDOW)), buckets: [] };
}

/** Drops buckets older than the window; out-of-order samples land in their bucket. */
export function addForecastSample(
  state: ForecastState,
  time: number,
  value: number,
  windowSeconds: number,
): void {
  if (!Number.isFinite(time) || !Number.isFinite(value)) return;
  const { buckets } = state;
  const bucketMs = state.bucketSeconds * 1000;
  const start = Math.floor(time / bucketMs) * bucketMs;
  const newest = buckets.length > 0 ? Math.max(buckets[buckets.length - STRIDE], start) : start;
  const cutoff = newest - windowSeconds * 1000;
  if (start + bucketMs <= cutoff) return;

  let index = buckets.length;
  while (index > 0 && buckets[index - STRIDE] > start) index -= STRIDE;
  if (index > 0 && buckets[index - STRIDE] === start) {
    buckets[index - STRIDE + 1] += value;
    buckets[index - STRIDE + 2] += 1;
  } else {
    buckets.splice(index, 0, start, value, 1);
  }

  let stale = 0;
  while (stale < buckets.length && buckets[stale] + bucketMs <= cutoff) stale += STRIDE;
  if (stale > 0) buckets.splice(0, stale);
}

/**
 * Least-squares line over the bucket means, with time in hours relative to `now` so the intercept is
 * the fitted value now. `null` when the trend goes away from the limit or there are too few buckets;
 * 0 when already past.
 */
export function forecast(state: ForecastState, limit: number, operator: '>=' | '<=', now: number): Forecast {
  const { buckets } = state;
  const points = buckets.length / STRIDE;
  let samples = 0;
  for (let index = 0; index < buckets.length; index += STRIDE) samples += buckets[index + 2];
  if (points === 0) return { hoursToLimit: null, slopePerHour: 0, latest: 0, samples };

  const last = buckets.length - STRIDE;
  const latest = buckets[last + 1] / buckets[last + 2];
  const past = operator === '>=' ? latest >= limit : latest <= limit;
  const line = fitLine(state, now);
  if (past) return { hoursToLimit: 0, slopePerHour: line?.slope ?? 0, latest, samples };
  if (points < MIN_BUCKETS || line === null) return { hoursToLimit: null, slopePerHour: 0, latest, samples };

  const { slope, intercept, spanHours } = line;
  // Rounding leaves a flat series with a slope of a few ulps; that is no trend.
  const flat = Math.abs(slope) * Math.max(spanHours, 1) <= 1e-9 * Math.max(1, Math.abs(latest));
  const towards = operator === '>=' ? slope > 0 : slope < 0;
  if (flat || !towards) return { hoursToLimit: null, slopePerHour: slope, latest, samples };
  return { hoursToLimit: Math.max(0, (limit - intercept) / slope), slopePerHour: slope, latest, samples };
}

/**
 * A bucket's time is the middle of the part of it that has happened by `now`, so a half-filled newest
 * bucket is not placed in the future.
 */
function fitLine(
  state: ForecastState,
  now: number,
): { slope: number; intercept: number; spanHours: number } | null {
  const { buckets } = state;
  const bucketMs = state.bucketSeconds * 1000;
  const points = buckets.length / STRIDE;
  let sumX = 0;
  let sumY = 0;
  for (let index = 0; index < buckets.length; index += STRIDE) {
    sumX += bucketHours(buckets[index], bucketMs, now);
    sumY += buckets[index + 1] / buckets[index + 2];
  }
  const meanX = sumX / points;
  const meanY = sumY / points;
  let covariance = 0;
  let spread = 0;
  for (let index = 0; index < buckets.length; index += STRIDE) {
    const dx = bucketHours(buckets[index], bucketMs, now) - meanX;
    covariance += dx * (buckets[index + 1] / buckets[index + 2] - meanY);
    spread += dx * dx;
  }
  if (spread === 0) return null;
  const slope = covariance / spread;
  const first = bucketHours(buckets[0], bucketMs, now);
  const lastHours = bucketHours(buckets[buckets.length - STRIDE], bucketMs, now);
  return { slope, intercept: meanY - slope * meanX, spanHours: lastHours - first };
}

function bucketHours(start: number, bucketMs: number, now: number): number {
  const end = Math.min(start + bucketMs, Math.max(start, now));
  return ((start + end) / 2 - now) / HOUR;
}

/** Fires when the limit is forecast within (≤) the rule's hours. */
export function forecastCondition(
  result: Forecast,
  rule: { warningHours: number | null; criticalHours: number | null; minSamples: number },
): Condition {
  const hours = result.hoursToLimit;
  if (hours === null || result.samples < rule.minSamples) return 'ok';
  if (rule.criticalHours !== null && hours <= rule.criticalHours) return 'critical';
  if (rule.warningHours !== null && hours <= rule.warningHours) return 'warning';
  return 'ok';
}
