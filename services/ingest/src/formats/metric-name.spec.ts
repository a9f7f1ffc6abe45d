import { MetricName } from '@optralis/contracts';

import { metricName } from './metric-name';

describe(metricName.name, () => {
  it.each(['cpu.usage_pct', 'node_cpu_seconds_total', '_private', 'http.server/duration:p99-x'])(
    'should keep %j when it is valid',
    (name) => {
      expect(metricName(name)).toBe(name);
    },
  );

  it.each([
    ['disk used%', 'disk_used_'],
    ['.hidden', '_hidden'],
    ['9lives', '_9lives'],
    ['température', 'temp_rature'],
    ['a b,c=d', 'a_b_c_d'],
  ])('should replace invalid characters when given %j', (name, clean) => {
    expect(metricName(name)).toBe(clean);
    expect(MetricName.safeParse(clean).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too long', 'm'.repeat(201)],
    ['too long once a leading digit is prefixed', `1${'m'.repeat(199)}`],
  ])('should give up when the name is %s', (_reason, name) => {
    expect(metricName(name)).toBeUndefined();
  });
});
