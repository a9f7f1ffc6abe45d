import { worse } from './condition';

describe(worse.name, () => {
  it('should pick the more severe condition when they differ', () => {
    expect(worse('ok', 'warning')).toBe('warning');
    expect(worse('critical', 'warning')).toBe('critical');
    expect(worse('warning', 'critical')).toBe('critical');
  });

  it('should give the same condition when both are equal', () => {
    expect(worse('ok', 'ok')).toBe('ok');
  });
});
