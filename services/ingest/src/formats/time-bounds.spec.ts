import { TimeBounds } from './time-bounds';

const receivedAt = new Date('2026-11-20T10:00:00.000Z');
const bounds = new TimeBounds({
  tenantId: 't',
  receivedAt,
  maxFutureSeconds: 600,
  retentionSeconds: 7 * 86_400,
});

describe(TimeBounds.name, () => {
  it('should accept timestamps inside the window', () => {
    expect(bounds.problem(receivedAt.getTime())).toBeUndefined();
    expect(bounds.problem(receivedAt.getTime() + 600_000)).toBeUndefined();
    expect(bounds.problem(receivedAt.getTime() - 7 * 86_400_000)).toBeUndefined();
  });

  it('should refuse a timestamp of 2100 as too far in the future', () => {
    expect(bounds.problem(Date.parse('2100-01-01T00:00:00Z'))).toBe(
      'timestamp 2100-01-01T00:00:00.000Z is too far in the future (more than 600 s ahead)',
    );
  });

  it('should refuse a timestamp of 1970 as older than the retention', () => {
    expect(bounds.problem(0)).toBe(
      'timestamp 1970-01-01T00:00:00.000Z is older than the retention of 7 days',
    );
  });

  it('should describe timestamps a Date cannot hold when they are absurd', () => {
    expect(bounds.problem(9e18)).toBe(
      'timestamp 9000000000000000000 ms is too far in the future (more than 600 s ahead)',
    );
    expect(bounds.problem(Number.NaN)).toBe('timestamp is not a number');
  });
});
