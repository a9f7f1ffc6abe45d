import { addForecastSample, forecast, forecastCondition, newForecastState, type Forecast } from './forecast';

const HOUR = 3_600_000;
const window = 6 * 3600;
const now = Date.parse('2026-03-01T12:00:00Z');

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

/** One sample a minute over the window, ending at `now`. */
function history(valueAt: (hoursAgo: number) => number) {
  const state = newForecastState(window);
  for (let minute = window / 60; minute >= 0; minute -= 1) {
    addForecastSample(state, now - minute * 60_000, valueAt(minute / 60), window);
  }
  return state;
}

describe(newForecastState.name, () => {
  it('should split the window into about 60 buckets when created', () => {
    expect(newForecastState(window)).toEqual({ bucketSeconds: 360, buckets: [] });
    expect(newForecastState(300).bucketSeconds).toBe(5);
  });
});

describe(addForecastSample.name, () => {
  it('should drop buckets older than the window when newer samples arrive', () => {
    const state = history(() => 50);
    for (let minute = 1; minute <= 120; minute += 1)
      addForecastSample(state, now + minute * 60_000, 50, window);
    const starts = state.buckets.filter((_, index) => index % 3 === 0);
    expect(starts.length).toBeLessThanOrEqual(61);
    expect(Math.min(...starts)).toBeGreaterThan(now + 2 * HOUR - window * 1000 - 360_000);
  });

  it('should put a late sample into its own bucket when it arrives out of order', () => {
    const state = newForecastState(window);
    addForecastSample(state, now, 10, window);
    addForecastSample(state, now - 18 * 60_000, 4, window);
    addForecastSample(state, now - 18 * 60_000 + 1000, 6, window);
    expect(state.buckets).toEqual([now - 18 * 60_000, 10, 2, now, 10, 1]);
  });

  it('should ignore a sample when it is older than the window or not finite', () => {
    const state = newForecastState(window);
    addForecastSample(state, now, 10, window);
    addForecastSample(state, now - 7 * HOUR, 4, window);
    addForecastSample(state, now, Number.NaN, window);
    expect(state.buckets).toEqual([now, 10, 1]);
  });
});

describe(forecast.name, () => {
  it('should forecast about 40 h to 100 when a disk grows 1 %/h and is at 60 % now', () => {
    const result = forecast(
      history((hoursAgo) => 60 - hoursAgo),
      100,
      '>=',
      now,
    );
    expect(result.hoursToLimit).toBeCloseTo(40, 1);
    expect(result.slopePerHour).toBeCloseTo(1, 3);
    expect(result.samples).toBe(361);
  });

  it('should give no forecast when the series is flat', () => {
    expect(
      forecast(
        history(() => 0.1 * 7),
        100,
        '>=',
        now,
      ).hoursToLimit,
    ).toBeNull();
  });

  it('should give no forecast when the trend goes away from the limit', () => {
    const shrinking = history((hoursAgo) => 60 + hoursAgo);
    expect(forecast(shrinking, 100, '>=', now).hoursToLimit).toBeNull();
    expect(forecast(shrinking, 10, '<=', now).hoursToLimit).toBeCloseTo(50, 1);
  });

  it('should stay within 15 % of the truth when the growth is noisy', () => {
    const random = mulberry32(7);
    const result = forecast(
      history((hoursAgo) => 60 - hoursAgo + (random() - 0.5) * 4),
      100,
      '>=',
      now,
    );
    console.info(`noisy forecast: ${result.hoursToLimit?.toFixed(2)} h (truth 40 h)`);
    expect(Math.abs(result.hoursToLimit! - 40) / 40).toBeLessThan(0.15);
  });

  it('should give 0 when the value is already past the limit', () => {
    expect(
      forecast(
        history(() => 100.5),
        100,
        '>=',
        now,
      ).hoursToLimit,
    ).toBe(0);
  });

  it('should give no forecast when there are too few buckets', () => {
    const state = newForecastState(window);
    addForecastSample(state, now - 10 * 60_000, 50, window);
    addForecastSample(state, now, 60, window);
    expect(forecast(state, 100, '>=', now)).toMatchObject({ hoursToLimit: null, samples: 2 });
  });
});

describe(forecastCondition.name, () => {
  const rule = { warningHours: 24, criticalHours: 4, minSamples: 10 };
  const result = (hoursToLimit: number | null, samples = 100): Forecast => ({
    hoursToLimit,
    slopePerHour: 1,
    latest: 90,
    samples,
  });

  it('should be critical, warning or ok when the limit is within, between or beyond the hours', () => {
    expect(forecastCondition(result(3), rule)).toBe('critical');
    expect(forecastCondition(result(4), rule)).toBe('critical');
    expect(forecastCondition(result(10), rule)).toBe('warning');
    expect(forecastCondition(result(40), rule)).toBe('ok');
    expect(forecastCondition(result(0), rule)).toBe('critical');
  });

  it('should be ok when there is no forecast or too few samples', () => {
    expect(forecastCondition(result(null), rule)).toBe('ok');
    expect(forecastCondition(result(1, 9), rule)).toBe('ok');
  });

  it('should only use the hours the rule sets when one of them is null', () => {
    expect(forecastCondition(result(1), { ...rule, criticalHours: null })).toBe('warning');
    expect(forecastCondition(result(10), { ...rule, warningHours: null })).toBe('ok');
  });
});
