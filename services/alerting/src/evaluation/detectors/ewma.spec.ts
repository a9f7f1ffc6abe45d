import { scoreAnomaly, updateEwma, type AnomalyParameters, type AnomalyScore, type EwmaState } from './ewma';

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Box–Muller over mulberry32, so every run sees the same series. */
function gaussianSeries(seed: number, count: number, mean: number, sigma: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    let uniform = 0;
    while (uniform === 0) uniform = random();
    return mean + sigma * Math.sqrt(-2 * Math.log(uniform)) * Math.cos(2 * Math.PI * random());
  });
}

const parameters: AnomalyParameters = {
  zWarning: 2,
  zCritical: 3,
  alpha: 0.3,
  confirmSamples: 2,
  warmupSamples: 30,
  direction: 'both',
  minDeviation: 0,
};

function scoreSeries(series: number[], options: AnomalyParameters = parameters): AnomalyScore[] {
  let state: EwmaState | undefined;
  let streak = 0;
  return series.map((value, index) => {
    const score = scoreAnomaly(state, value, options, streak);
    streak = score.streak;
    state = updateEwma(state, value, options, index * 10_000);
    return score;
  });
}

function fold(series: number[], alpha: number): EwmaState {
  let state: EwmaState | undefined;
  series.forEach(
    (value, index) => (state = updateEwma(state, value, { alpha, zCritical: 3 }, index * 10_000)),
  );
  return state!;
}

const gaussian = gaussianSeries(1, 20_000, 50, 5);

describe(updateEwma.name, () => {
  it('should start from the first value with no variance when there is no state', () => {
    expect(updateEwma(undefined, 42, parameters, 1000)).toEqual({
      mean: 42,
      variance: 0,
      count: 1,
      lastTime: 1000,
    });
  });

  it('should converge to the mean and σ of a stationary series when α is small', () => {
    const state = fold(gaussian, 0.01);
    expect(state.mean).toBeCloseTo(50, 0);
    expect(Math.sqrt(state.variance)).toBeGreaterThan(4.5);
    expect(Math.sqrt(state.variance)).toBeLessThan(5.5);
    expect(state.count).toBe(20_000);
  });

  it('should leave the state untouched when the value is NaN or infinite', () => {
    const state = fold([10, 12, 11], 0.3);
    const before = { ...state };
    expect(updateEwma(state, Number.NaN, parameters, 1e6)).toEqual(before);
    expect(updateEwma(state, Number.POSITIVE_INFINITY, parameters, 1e6)).toEqual(before);
  });

  it('should give an empty state that the next finite value starts when the first value is NaN', () => {
    const empty = updateEwma(undefined, Number.NaN, parameters, 1000);
    expect(empty.count).toBe(0);
    expect(updateEwma(empty, 7, parameters, 2000)).toEqual({
      mean: 7,
      variance: 0,
      count: 1,
      lastTime: 2000,
    });
  });

  it('should ignore a sample when it is older than the last one', () => {
    const state = fold([10, 12, 11], 0.3);
    const before = { ...state };
    expect(updateEwma(state, 500, parameters, state.lastTime - 1)).toEqual(before);
  });

  it('should keep the variance at zero when the series is flat', () => {
    expect(fold(Array(100).fill(50), 0.3).variance).toBe(0);
  });
});

describe(scoreAnomaly.name, () => {
  it('should stay ok and not warm when fewer samples than the warm-up were seen', () => {
    const state = fold(gaussian.slice(0, 29), 0.3);
    expect(scoreAnomaly(state, 1e6, parameters)).toMatchObject({ condition: 'ok', warm: false });
    expect(scoreAnomaly(undefined, 1e6, parameters)).toMatchObject({ condition: 'ok', warm: false });
  });

  it('should be ok when the value is NaN or infinite', () => {
    const state = fold(gaussian.slice(0, 100), 0.3);
    expect(scoreAnomaly(state, Number.NaN, parameters)).toMatchObject({ condition: 'ok', z: 0 });
    expect(scoreAnomaly(state, Number.NEGATIVE_INFINITY, parameters)).toMatchObject({
      condition: 'ok',
      z: 0,
    });
  });

  it('should give a finite z when a flat series changes slightly', () => {
    const state = fold(Array(100).fill(50), 0.3);
    expect(scoreAnomaly(state, 50, parameters)).toMatchObject({ condition: 'ok', z: 0 });
    expect(Number.isFinite(scoreAnomaly(state, 50.001, parameters).z)).toBe(true);
  });

  it('should ignore a change smaller than minDeviation when the series is flat', () => {
    const state = fold(Array(100).fill(50), 0.3);
    expect(scoreAnomaly(state, 50.001, { ...parameters, minDeviation: 0.01 }).condition).toBe('ok');
    expect(scoreAnomaly(state, 51, { ...parameters, minDeviation: 0.01 }).condition).toBe('critical');
  });

  it('should keep false positives under the measured bounds when the series is Gaussian', () => {
    const rates = [1, 2, 3, 4, 5].map((seed) => {
      const series = gaussianSeries(seed, 20_000, 50, 5);
      const scores = scoreSeries(series);
      return {
        critical: scores.filter((score) => score.condition === 'critical').length / series.length,
        warning: scores.filter((score) => score.condition === 'warning').length / series.length,
      };
    });
    const critical = Math.max(...rates.map((rate) => rate.critical));
    const warning = Math.max(...rates.map((rate) => rate.warning));
    console.info(
      `anomaly false positives per sample, worst of 5 seeds (N(50, 5), α 0.3, variance α 0.05, confirm 2, ` +
        `warm-up 30, z 2/3, 20,000 samples each): critical ${(critical * 100).toFixed(4)} %, ` +
        `warning ${(warning * 100).toFixed(4)} %`,
    );
    // One sample at a time with σ from ~6 samples gave 1.9 % critical and 6.9 % warning. A slower, winsorised
    // variance and two confirming samples measure 0.005 % and 0.065 % (worst seed), near the Gaussian floor
    // of two independent samples (0.0004 % and 0.1 %); the bounds are three times that.
    expect(critical).toBeLessThan(0.00015);
    expect(warning).toBeLessThan(0.002);
  });

  it('should report nothing on the first anomalous sample and the deviation on the second when both are 4σ', () => {
    const index = 5_000;
    const shifted = [...gaussian];
    shifted[index] = 50 + 4.5 * 5;
    shifted[index + 1] = 50 + 4.5 * 5;
    const scores = scoreSeries(shifted);
    expect(scores[index]).toMatchObject({ condition: 'ok', consecutive: 1 });
    expect(scores[index + 1].condition).not.toBe('ok');
    expect(scores[index + 1].consecutive).toBe(2);
  });

  it('should not confirm when two anomalous samples lie on opposite sides', () => {
    const index = 5_000;
    const alternating = [...gaussian];
    alternating[index] = 50 + 4.5 * 5;
    alternating[index + 1] = 50 - 4.5 * 5;
    const scores = scoreSeries(alternating);
    expect(scores[index + 1]).toMatchObject({ condition: 'ok', consecutive: 1 });
  });

  it('should report a single sample at once when it is beyond twice zCritical', () => {
    const index = 5_000;
    const spiked = [...gaussian];
    spiked[index] = 50 + 7 * 5;
    expect(scoreSeries(spiked)[index]).toMatchObject({ condition: 'critical', consecutive: 1 });
    expect(scoreSeries(spiked, { ...parameters, confirmSamples: 1 })[index].condition).toBe('critical');
  });

  it('should be critical at exactly the index of a +10σ spike when one is injected', () => {
    const index = 5_000;
    expect(scoreSeries(gaussian)[index].condition).not.toBe('critical');
    const spiked = [...gaussian];
    spiked[index] = 100;
    const scores = scoreSeries(spiked);
    expect(scores[index].condition).toBe('critical');
    expect(scores[index].z).toBeGreaterThan(3);
    expect(scores[index + 1].condition).not.toBe('critical');
  });

  it('should detect a step change and then absorb it into the baseline when the level stays', () => {
    const step = 10_000;
    const stepped = gaussian.map((value, index) => (index >= step ? value + 25 : value));
    const scores = scoreSeries(stepped);
    expect(scores[step]).toMatchObject({ condition: 'ok', consecutive: 1 });
    expect(scores[step + 1].condition).not.toBe('ok');
    const settled = scores.slice(step).findIndex((score) => Math.abs(score.z) < 2);
    expect(settled).toBeGreaterThan(0);
    expect(settled).toBeLessThanOrEqual(10);
    expect(scores[step + 50].mean).toBeGreaterThan(70);
    expect(scores[step + 50].mean).toBeLessThan(80);
  });

  it('should ignore a downward spike when the direction is above', () => {
    const index = 5_000;
    const dipped = [...gaussian];
    dipped[index] = 0;
    const above = scoreSeries(dipped, { ...parameters, direction: 'above' })[index];
    expect(above.condition).toBe('ok');
    expect(above.z).toBeLessThan(-3);
    expect(scoreSeries(dipped, { ...parameters, direction: 'below' })[index].condition).toBe('critical');
    expect(scoreSeries(dipped)[index].condition).toBe('critical');
  });
});
