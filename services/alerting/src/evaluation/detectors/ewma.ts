import type { Condition } from './condition';

export interface EwmaState {
  mean: number;
  variance: number;
  count: number;
  lastTime: number;
}

export interface AnomalyParameters {
  zWarning: number;
  zCritical: number;
  alpha: number;
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
}

/**
 * Returns a new or the same (mutated) object. Non-finite values and samples older than the last one are
 * ignored: an out-of-order sample would fold the past into the present baseline.
 */
export function updateEwma(
  state: EwmaState | undefined,
  value: number,
  alpha: number,
  time: number,
): EwmaState {
  const target = state ?? { mean: 0, variance: 0, count: 0, lastTime: time };
  if (!Number.isFinite(value) || (target.count > 0 && time < target.lastTime)) return target;
  if (target.count === 0) {
    target.mean = value;
    target.variance = 0;
  } else {
    const difference = value - target.mean;
    const increment = alpha * difference;
    const variance = (1 - alpha) * (target.variance + difference * increment);
    // Values near the float limit would overflow and poison the baseline for good.
    if (!Number.isFinite(variance) || !Number.isFinite(target.mean + increment)) return target;
    target.mean += increment;
    target.variance = variance;
  }
  target.count += 1;
  target.lastTime = time;
  return target;
}

/**
 * The EWMA variance estimates (1 − α)·E[(x − previous mean)²], so dividing by (1 − α) gives the spread of
 * a new sample around the baseline — what z is measured against. Without it z runs about 20 % high at
 * α 0.3 and the false-positive rate doubles. The floor keeps a flat series from giving z = ∞.
 */
function spread(state: EwmaState, alpha: number): number {
  const variance = alpha < 1 ? state.variance / (1 - alpha) : state.variance;
  return Math.max(Math.sqrt(variance), 1e-9, 1e-6 * Math.abs(state.mean));
}

/** Scores `value` against the baseline BEFORE the value is folded in. Not warm (count < warmupSamples) → ok. */
export function scoreAnomaly(
  state: EwmaState | undefined,
  value: number,
  parameters: AnomalyParameters,
): AnomalyScore {
  if (state === undefined || state.count === 0) {
    return { condition: 'ok', z: 0, mean: 0, sigma: 0, warm: false };
  }
  const sigma = spread(state, parameters.alpha);
  const warm = state.count >= parameters.warmupSamples;
  if (!warm || !Number.isFinite(value)) {
    return { condition: 'ok', z: 0, mean: state.mean, sigma, warm };
  }
  const deviation = value - state.mean;
  const z = deviation / sigma;
  return { condition: anomalyCondition(z, deviation, parameters), z, mean: state.mean, sigma, warm };
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
