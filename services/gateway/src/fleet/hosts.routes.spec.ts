import { hostMetricsRoute, Step } from './hosts.routes';

describe('Step', () => {
  it('should read seconds, minutes, hours and days when given with or without a unit', () => {
    expect(['60', '60s', '5m', '1h', '2d'].map((value) => Step.parse(value))).toEqual([
      60, 60, 300, 3600, 172_800,
    ]);
  });

  it('should refuse zero, fractions, words and steps over 31 days', () => {
    for (const value of ['0', '1.5m', 'fast', '32d', '-5s'])
      expect(Step.safeParse(value).success, value).toBe(false);
  });
});

describe('hostMetricsRoute query', () => {
  const query = hostMetricsRoute.query!;

  it('should take one name or several repeated names as a list', () => {
    expect(query.parse({ name: 'cpu.usage_pct' })).toMatchObject({ name: ['cpu.usage_pct'] });
    expect(query.parse({ name: ['cpu.usage_pct', 'mem.used_pct'], step: '5m' })).toMatchObject({
      name: ['cpu.usage_pct', 'mem.used_pct'],
      step: 300,
    });
  });

  it('should refuse unknown parameters and names that are not metric names', () => {
    expect(query.safeParse({ name: 'cpu', labels: 'x' }).success).toBe(false);
    expect(query.safeParse({ name: '../etc' }).success).toBe(false);
  });
});
