import { bucketCount, niceStep, planSeries, type SeriesPlanInput } from './series-plan';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const now = new Date('2026-11-20T12:00:00.000Z');

function plan(overrides: Partial<SeriesPlanInput> & { rangeMs: number; agoMs?: number }) {
  const { rangeMs, agoMs = rangeMs, ...rest } = overrides;
  const from = new Date(now.getTime() - agoMs);
  return planSeries({
    from,
    to: new Date(from.getTime() + rangeMs),
    maxPoints: 1000,
    resolution: 'auto',
    now,
    retentionDays: { raw: 7, '1m': 30, '1h': 400 },
    ...rest,
  });
}

describe(planSeries.name, () => {
  it('should pick a round default step that gives at most maxPoints points', () => {
    expect(plan({ rangeMs: 2 * 60_000 })).toEqual({ resolution: 'raw', stepSeconds: 1 });
    expect(plan({ rangeMs: 6 * HOUR_MS })).toEqual({ resolution: 'raw', stepSeconds: 30 });
    expect(plan({ rangeMs: DAY_MS })).toEqual({ resolution: '1m', stepSeconds: 120 });
    expect(plan({ rangeMs: 90 * DAY_MS })).toEqual({ resolution: '1h', stepSeconds: 10_800 });
  });

  it('should choose raw under a minute, 1m under an hour and 1h above when the step is given', () => {
    expect(plan({ rangeMs: HOUR_MS, stepSeconds: 59 })).toEqual({ resolution: 'raw', stepSeconds: 59 });
    expect(plan({ rangeMs: HOUR_MS, stepSeconds: 60 })).toEqual({ resolution: '1m', stepSeconds: 60 });
    expect(plan({ rangeMs: DAY_MS, stepSeconds: 3599 })).toEqual({ resolution: '1m', stepSeconds: 3600 });
    expect(plan({ rangeMs: DAY_MS, stepSeconds: 3600 })).toEqual({ resolution: '1h', stepSeconds: 3600 });
  });

  it('should widen the step rather than refuse when the range holds more than maxPoints steps', () => {
    const widened = plan({ rangeMs: DAY_MS, stepSeconds: 10, maxPoints: 100 });
    expect(widened).toEqual({ resolution: '1m', stepSeconds: 900 });
    const odd = { from: new Date('2026-11-20T10:00:07Z'), to: new Date('2026-11-20T10:16:47Z') };
    const single = plan({ rangeMs: 0, ...odd, stepSeconds: 1, maxPoints: 1, resolution: 'raw' });
    expect(bucketCount(odd.from, odd.to, single.stepSeconds)).toBe(1);
  });

  it('should fall back to a coarser resolution when the range starts before the finer one is kept', () => {
    expect(plan({ rangeMs: HOUR_MS, agoMs: 8 * DAY_MS, stepSeconds: 10 })).toEqual({
      resolution: '1m',
      stepSeconds: 60,
    });
    expect(plan({ rangeMs: HOUR_MS, agoMs: 31 * DAY_MS, stepSeconds: 10 })).toEqual({
      resolution: '1h',
      stepSeconds: 3600,
    });
    expect(plan({ rangeMs: HOUR_MS, agoMs: 500 * DAY_MS, stepSeconds: 10 }).resolution).toBe('1h');
  });

  it('should follow an explicit resolution even beyond its retention', () => {
    expect(plan({ rangeMs: HOUR_MS, agoMs: 8 * DAY_MS, stepSeconds: 10, resolution: 'raw' })).toEqual({
      resolution: 'raw',
      stepSeconds: 10,
    });
    expect(plan({ rangeMs: HOUR_MS, stepSeconds: 10, resolution: '1h' })).toEqual({
      resolution: '1h',
      stepSeconds: 3600,
    });
  });

  it('should refuse a range that is empty, reversed or longer than 400 days', () => {
    for (const rangeMs of [0, -1000, 401 * DAY_MS]) {
      expect(() => plan({ rangeMs, agoMs: DAY_MS })).toThrow(
        expect.objectContaining({ code: 'metrics.invalid_range' }),
      );
    }
    expect(plan({ rangeMs: 400 * DAY_MS }).resolution).toBe('1h');
  });
});

describe(niceStep.name, () => {
  it('should round up to the next round step and to whole days beyond one', () => {
    expect([1, 3, 11, 87, 3601, 86_401].map(niceStep)).toEqual([1, 5, 15, 120, 7200, 172_800]);
  });
});
