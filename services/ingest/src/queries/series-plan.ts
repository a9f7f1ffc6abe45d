import type { StorageResolution } from '@optralis/contracts';

import { QueryError, QueryErrorCode } from './queries.errors';

/** The bucket width of each resolution: a step is a whole number of them. */
export const RESOLUTION_SECONDS: Record<StorageResolution, number> = { raw: 1, '1m': 60, '1h': 3600 };
export const MAX_RANGE_DAYS = 400;

const COARSER: Record<StorageResolution, StorageResolution> = { raw: '1m', '1m': '1h', '1h': '1h' };
const DAY_MS = 86_400_000;
const NICE_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];
// Beyond this the loop gives up on saving the last point; only maxPoints = 1 on odd ranges gets near it.
const MAX_WIDENINGS = 100_000;

export interface SeriesPlanInput {
  from: Date;
  to: Date;
  stepSeconds?: number;
  maxPoints: number;
  resolution: StorageResolution | 'auto';
  now: Date;
  retentionDays: Record<StorageResolution, number>;
}

export interface SeriesPlan {
  resolution: StorageResolution;
  stepSeconds: number;
}

/** `to` after `from`, at most 400 days apart. */
export function assertRange(from: Date, to: Date): void {
  if (!(to.getTime() > from.getTime())) {
    throw new QueryError(QueryErrorCode.InvalidRange, '"to" must be later than "from"');
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new QueryError(QueryErrorCode.InvalidRange, `a range may span at most ${MAX_RANGE_DAYS} days`);
  }
}

/** Buckets of `[from, to)` when buckets start at multiples of the step since the epoch. */
export function bucketCount(from: Date, to: Date, stepSeconds: number): number {
  const stepMs = stepSeconds * 1000;
  return Math.floor((to.getTime() - 1) / stepMs) - Math.floor(from.getTime() / stepMs) + 1;
}

/** The smallest round step (1 s … 1 day, then whole days) that is at least `seconds`. */
export function niceStep(seconds: number): number {
  return NICE_STEPS.find((step) => step >= seconds) ?? Math.ceil(seconds / 86_400) * 86_400;
}

function automaticResolution(stepSeconds: number, input: SeriesPlanInput): StorageResolution {
  let resolution: StorageResolution = stepSeconds < 60 ? 'raw' : stepSeconds < 3600 ? '1m' : '1h';
  const age = input.now.getTime() - input.from.getTime();
  while (resolution !== COARSER[resolution] && age > input.retentionDays[resolution] * DAY_MS) {
    resolution = COARSER[resolution];
  }
  return resolution;
}

/**
 * Picks the resolution and the step of a range query. The step is never narrower than the resolution's
 * buckets and is widened, never refused, until the range gives at most `maxPoints` points.
 */
export function planSeries(input: SeriesPlanInput): SeriesPlan {
  assertRange(input.from, input.to);
  const rangeSeconds = (input.to.getTime() - input.from.getTime()) / 1000;
  const narrowest = Math.max(1, Math.ceil(rangeSeconds / input.maxPoints));
  const wanted = Math.max(input.stepSeconds ?? niceStep(narrowest), narrowest);
  const resolution = input.resolution === 'auto' ? automaticResolution(wanted, input) : input.resolution;
  const unit = RESOLUTION_SECONDS[resolution];
  let stepSeconds = Math.ceil(wanted / unit) * unit;
  for (let widening = 0; widening < MAX_WIDENINGS; widening++) {
    if (bucketCount(input.from, input.to, stepSeconds) <= input.maxPoints) break;
    stepSeconds += unit;
  }
  return { resolution, stepSeconds };
}
