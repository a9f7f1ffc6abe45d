import type { Condition } from './condition';

export interface EwmaState {
  mean: number;
  /** EWMA of (x − previous mean)²: the spread of a new sample around the baseline, what z divides by. */
  variance: number;
  count: number;
  lastTime: number;
}

export interface AnomalyParameters {
  zWarning: number;
  zCritical: number;
  alpha: number;
  confirmSamples: number;
  warmupSamples: number;
  direction: 'both' | 'above' | 'below';
  minDeviation: number;
}

export interface AnomalyScore {
  condition: Condition;
  z: number;
  mean: number;
  sigma: number;
  warm: boolean;
  /** Anomalous samples in a row on this side, this one included (0 when this one is not anomalous). */
  consecutive: number;
  /** The streak to remember for the next sample: + above the mean, − below. */
  streak: number;
}

/**
 * Returns a new or the same (mutated) object. Non-finite values and samples older than the last one are
 * ignored: an out-of-order sample would fold the past into the present baseline. Early samples weigh 1/n
 * (a plain running mean) until that falls below α, so a young baseline is not biased towards its first value.
 * Winsorising the variance update makes the spread robust to outliers (a Huber-style EWMA).
 */
export function updateEwma(
  state: EwmaState | undefined,
  value: number,
  parameters: Pick<AnomalyParameters, 'alpha' | 'zCritical'>,
  time: number,
): EwmaState {
  const target = state ?? { mean: 0, variance: 0, count: 0, lastTime: time };
  if (!Number.isFinite(value) || (target.count > 0 && time < target.lastTime)) return target;
  if (target.count === 0) {
    target.mean = value;
    target.variance = 0;
  } else {
    const weight = Math.max(parameters.alpha, 1 / (target.count + 1));
    const varianceWeight = Math.max(varianceAlpha(parameters.alpha), 1 / target.count);
    const difference = value - target.mean;
    const mean = target.mean + weight * difference;
    // Winsorised: one outlier adds at most a zCritical-sized deviation, so a spike or the first sample of a
    // level shift does not inflate σ enough to hide the samples that follow it.
    const limit = target.variance > 0 ? parameters.zCritical * Math.sqrt(target.variance) : Infinity;
    const counted = Math.min(Math.abs(difference), limit);
    const variance = (1 - varianceWeight) * target.variance + varianceWeight * counted * counted;
    // Values near the float limit would overflow and poison the baseline for good.
    if (!Number.isFinite(variance) || !Number.isFinite(mean)) return target;
    target.mean = mean;
    target.variance = variance;
  }
  target.count += 1;
  target.lastTime = time;
  return target;
}

/**
 * The variance is smoothed more slowly than the mean: at α 0.3 σ would rest on about six samples and z would
 * be heavy-tailed (1.9 % of Gaussian samples beyond 3σ instead of 0.27 %). It follows α, so one baseline per
 * (series, α) stays one baseline.
 */
export function varianceAlpha(alpha: number): number {
  return Math.min(alpha, 0.05);
}

/** The floor keeps a flat series from giving z = ∞. */
function spread(state: EwmaState): number {
  return Math.max(Math.sqrt(state.variance), 1e-9, 1e-6 * Math.abs(state.mean));
}

/**
 * Scores `value` against the baseline BEFORE the value is folded in; `streak` is what the previous score of
 * the same rule and series returned (a streak depends on the rule's levels, so the baseline cannot hold it).
 * Not warm (count < warmupSamples) → ok. A deviation counts once `confirmSamples` in a row lie on the same
 * side, or at once when |z| reaches twice zCritical: on Gaussian noise at z 3 a single sample is anomalous
 * 0.27 % of the time, two in a row about 4 in a million.
 */
export function scoreAnomaly(
  state: EwmaState | undefined,
  value: number,
  parameters: AnomalyParameters,
  streak = 0,
): AnomalyScore {
  if (state === undefined || state.count === 0) {
    return { condition: 'ok', z: 0, mean: 0, sigma: 0, warm: false, consecutive: 0, streak: 0 };
  }
  const sigma = spread(state);
  const warm = state.count >= parameters.warmupSamples;
  if (!warm || !Number.isFinite(value)) {
    return { condition: 'ok', z: 0, mean: state.mean, sigma, warm, consecutive: 0, streak: 0 };
  }
  const deviation = value - state.mean;
  const z = deviation / sigma;
  const raw = anomalyCondition(z, deviation, parameters);
  const side = z > 0 ? 1 : -1;
  const consecutive = raw === 'ok' ? 0 : streak * side > 0 ? Math.abs(streak) + 1 : 1;
  const confirmed = consecutive >= parameters.confirmSamples || Math.abs(z) >= 2 * parameters.zCritical;
  const condition = confirmed ? raw : 'ok';
  return { condition, z, mean: state.mean, sigma, warm, consecutive, streak: consecutive * side };
}

function anomalyCondition(z: number, deviation: number, parameters: AnomalyParameters): Condition {
  if (Math.abs(deviation) < parameters.minDeviation) return 'ok';
  if (parameters.direction === 'above' && z <= 0) return 'ok';
  if (parameters.direction === 'below' && z >= 0) return 'ok';
  const size = Math.abs(z);
  if (size >= parameters.zCritical) return 'critical';
  if (size >= parameters.zWarning) return 'warning';
  return 'ok';
}
