import { formatAgo, formatDuration, InvalidDurationError, parseDuration } from './duration';

describe(parseDuration.name, () => {
  it.each([
    ['15m', 900],
    ['6h', 21_600],
    ['24h', 86_400],
    ['7d', 604_800],
    ['2w', 1_209_600],
    ['60s', 60],
    ['90', 90],
    ['1h30m', 5400],
    [' 1H ', 3600],
  ])('should read %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0s', '5x', 'h', '1.5h', '-1h', '1h 30m', '999999999999d'])(
    'should refuse "%s" when it is not a positive duration',
    (text) => {
      expect(() => parseDuration(text)).toThrow(InvalidDurationError);
    },
  );
});

describe(formatDuration.name, () => {
  it.each([
    [5, '5s'],
    [60, '1m'],
    [90, '1m30s'],
    [3600, '1h'],
    [90_000, '1d1h'],
  ])('should write %i seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe(formatAgo.name, () => {
  const now = new Date('2026-11-20T10:00:00.000Z');

  it.each([
    ['2026-11-20T10:00:00.500Z', 'just now'],
    ['2026-11-20T09:59:18.000Z', '42s ago'],
    ['2026-11-20T09:55:00.000Z', '5m ago'],
    ['2026-11-20T07:00:00.000Z', '3h ago'],
    ['2026-11-18T10:00:00.000Z', '2d ago'],
    ['2026-11-20T10:02:00.000Z', 'in 2m'],
    ['not a time', '?'],
  ])('should describe %s as "%s"', (time, text) => {
    expect(formatAgo(time, now)).toBe(text);
  });
});
