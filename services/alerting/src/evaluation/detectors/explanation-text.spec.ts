import {
  describeAnomaly,
  describeForecast,
  describeOffline,
  describeResolved,
  describeThreshold,
  formatDuration,
  formatNumber,
} from './explanation-text';

const cpu = { metric: 'cpu.usage_pct', labels: {}, hostName: 'web-01' };

describe(describeThreshold.name, () => {
  it('should name the value, the level and how long when a threshold is breached', () => {
    expect(
      describeThreshold({
        ...cpu,
        value: 97.2,
        operator: '>',
        level: 90,
        condition: 'critical',
        breachedForSeconds: 125,
      }),
    ).toBe('cpu.usage_pct on web-01 is 97.2, above the critical level 90 for 2 min 5 s');
  });

  it('should leave out the duration and sort the labels when the breach is new', () => {
    expect(
      describeThreshold({
        metric: 'disk.free_pct',
        labels: { mount: '/', device: 'sda1' },
        hostName: 'db-01',
        value: 4.56789,
        operator: '<=',
        level: 5,
        condition: 'warning',
        breachedForSeconds: 0,
      }),
    ).toBe('disk.free_pct{device=sda1,mount=/} on db-01 is 4.568, at or below the warning level 5');
  });

  it('should strip control characters when names carry them', () => {
    const text = describeThreshold({
      metric: 'cpu.usage\u0000_pct\n',
      labels: { 'co\u001bre': '1\r\n' },
      hostName: 'web-01\u202e\u0007',
      value: 97.2,
      operator: '>',
      level: 90,
      condition: 'critical',
      breachedForSeconds: 0,
    });
    expect(text).toBe('cpu.usage_pct{core=1} on web-01 is 97.2, above the critical level 90');
  });

  it('should stay within 300 characters when names are long', () => {
    const long = 'x'.repeat(1000);
    const text = describeThreshold({
      metric: long,
      labels: { [long]: long, other: long },
      hostName: long,
      value: 1,
      operator: '>',
      level: 0,
      condition: 'critical',
      breachedForSeconds: 86_400,
    });
    expect(text.length).toBeLessThanOrEqual(300);
  });
});

describe(describeAnomaly.name, () => {
  it('should give the deviation in σ and the usual range when a value is anomalous', () => {
    expect(
      describeAnomaly({
        ...cpu,
        value: 97.2,
        mean: 41.3,
        sigma: 13.6,
        z: 4.11,
        alpha: 0.3,
        warmupSamples: 120,
        condition: 'critical',
      }),
    ).toBe('cpu.usage_pct on web-01 is 97.2, 4.1σ above its usual 41.3 ± 13.6 (EWMA α 0.3 over 120 samples)');
  });

  it('should say below when the value dropped', () => {
    const text = describeAnomaly({
      ...cpu,
      value: 2,
      mean: 41.3,
      sigma: 13.6,
      z: -2.89,
      alpha: 0.3,
      warmupSamples: 30,
      condition: 'warning',
    });
    expect(text).toContain('2.9σ below its usual 41.3 ± 13.6');
  });
});

describe(describeForecast.name, () => {
  const disk = { metric: 'disk.used_pct', labels: { mount: '/' }, hostName: 'db-01', limit: 100 };

  it('should give the time to the limit and the rate when the trend is towards it', () => {
    expect(
      describeForecast({
        ...disk,
        latest: 93,
        hoursToLimit: 10 / 3,
        slopePerHour: 2.1,
        condition: 'critical',
      }),
    ).toBe('disk.used_pct{mount=/} on db-01 will reach 100 in about 3 h 20 min at +2.1 per hour (now 93)');
  });

  it('should say the limit is reached when no time is left', () => {
    expect(
      describeForecast({ ...disk, latest: 100, hoursToLimit: 0, slopePerHour: 0.5, condition: 'critical' }),
    ).toBe('disk.used_pct{mount=/} on db-01 has reached 100 (now 100)');
  });
});

describe(describeOffline.name, () => {
  it('should say how long the host has been silent', () => {
    expect(describeOffline({ hostName: 'web-01', silentSeconds: 312, thresholdSeconds: 300 })).toBe(
      'web-01 has not reported for 5 min 12 s (offline after 5 min)',
    );
  });
});

describe(describeResolved.name, () => {
  it('should give the value when there is one', () => {
    expect(describeResolved({ ruleName: 'High CPU', hostName: 'web-01', value: 41.25 })).toBe(
      'High CPU on web-01 is resolved (now 41.25)',
    );
    expect(describeResolved({ ruleName: 'Host down', hostName: 'web-01', value: null })).toBe(
      'Host down on web-01 is resolved',
    );
  });
});

describe(formatDuration.name, () => {
  it('should use the two largest units when the duration spans several', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(12_030)).toBe('3 h 21 min');
    expect(formatDuration(86_399)).toBe('1 d');
    expect(formatDuration(40 * 3600)).toBe('1 d 16 h');
  });

  it('should not give a negative or endless duration when the input is odd', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(Number.NaN)).toBe('an unknown time');
  });
});

describe(formatNumber.name, () => {
  it('should keep four significant digits without an exponent when the size is normal', () => {
    expect(formatNumber(97.2)).toBe('97.2');
    expect(formatNumber(4.56789)).toBe('4.568');
    expect(formatNumber(0.000123456)).toBe('0.0001235');
    expect(formatNumber(-13.6049)).toBe('-13.6');
    expect(formatNumber(1234.5)).toBe('1235');
    expect(formatNumber(987_654_321)).toBe('987654321');
    expect(formatNumber(0)).toBe('0');
  });
});
