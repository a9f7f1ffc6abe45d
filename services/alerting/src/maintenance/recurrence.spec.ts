import { RRule } from 'rrule';

import { AlertingError } from '../shared/alerting.errors';
import { recurrenceOf, type WindowTiming } from './recurrence';

const timing = (overrides: Partial<WindowTiming>): WindowTiming => ({
  startsAt: new Date('2026-01-04T02:00:00+01:00'),
  durationMinutes: 120,
  rrule: null,
  timezone: 'UTC',
  ...overrides,
});

const at = (text: string): Date => new Date(text);

function refusal(candidate: Partial<WindowTiming>): string {
  try {
    recurrenceOf(timing(candidate));
  } catch (error) {
    expect(error).toBeInstanceOf(AlertingError);
    expect((error as AlertingError).code).toBe('invalid_request');
    return (error as AlertingError).message;
  }
  throw new Error('expected the timing to be refused');
}

describe(recurrenceOf.name, () => {
  describe('a one-off window', () => {
    const sut = recurrenceOf(timing({ startsAt: at('2026-03-01T10:00:00Z'), durationMinutes: 30 }));

    it('should cover moments from its start up to, not including, its end', () => {
      expect(sut.covering(at('2026-03-01T09:59:59Z'))).toBeNull();
      expect(sut.covering(at('2026-03-01T10:00:00Z'))).toEqual({
        start: at('2026-03-01T10:00:00Z'),
        end: at('2026-03-01T10:30:00Z'),
      });
      expect(sut.covering(at('2026-03-01T10:29:59Z'))).not.toBeNull();
      expect(sut.covering(at('2026-03-01T10:30:00Z'))).toBeNull();
    });

    it('should have a next occurrence only before it starts', () => {
      expect(sut.next(at('2026-03-01T09:00:00Z'))?.start).toEqual(at('2026-03-01T10:00:00Z'));
      expect(sut.next(at('2026-03-01T10:00:00Z'))).toBeNull();
    });
  });

  describe('a weekly window in Europe/Paris', () => {
    const sut = recurrenceOf(
      timing({
        startsAt: at('2026-01-04T02:00:00+01:00'),
        rrule: 'FREQ=WEEKLY;BYDAY=SU',
        timezone: 'Europe/Paris',
      }),
    );

    it('should keep 02:00 local time in winter (UTC+1) and in summer (UTC+2)', () => {
      expect(sut.covering(at('2026-02-15T01:30:00Z'))).toEqual({
        start: at('2026-02-15T01:00:00Z'),
        end: at('2026-02-15T03:00:00Z'),
      });
      expect(sut.covering(at('2026-07-05T00:30:00Z'))).toEqual({
        start: at('2026-07-05T00:00:00Z'),
        end: at('2026-07-05T02:00:00Z'),
      });
    });

    it('should not cover the same wall-clock hour on another day or outside the duration', () => {
      expect(sut.covering(at('2026-02-16T01:30:00Z'))).toBeNull();
      expect(sut.covering(at('2026-02-15T03:00:00Z'))).toBeNull();
    });

    it('should give the following Sunday as next occurrence', () => {
      expect(sut.next(at('2026-02-15T01:30:00Z'))?.start).toEqual(at('2026-02-22T01:00:00Z'));
      expect(sut.next(at('2026-04-01T12:00:00Z'))).toEqual({
        start: at('2026-04-05T00:00:00Z'),
        end: at('2026-04-05T02:00:00Z'),
      });
    });

    it('should start when the clock jumps when 02:00 does not exist (last Sunday of March)', () => {
      expect(sut.next(at('2026-03-25T12:00:00Z'))).toEqual({
        start: at('2026-03-29T01:00:00Z'),
        end: at('2026-03-29T03:00:00Z'),
      });
    });

    it('should have no occurrence before its start', () => {
      expect(sut.next(at('2025-06-01T00:00:00Z'))?.start).toEqual(at('2026-01-04T01:00:00Z'));
      expect(sut.covering(at('2025-12-28T01:30:00Z'))).toBeNull();
    });
  });

  it('should follow New York time with a UTC offset of -5 in winter and -4 in summer', () => {
    const sut = recurrenceOf(
      timing({
        startsAt: at('2026-01-07T22:00:00-05:00'),
        durationMinutes: 60,
        rrule: 'RRULE:FREQ=WEEKLY;BYDAY=WE',
        timezone: 'America/New_York',
      }),
    );
    expect(sut.covering(at('2026-01-29T03:15:00Z'))?.start).toEqual(at('2026-01-29T03:00:00Z'));
    expect(sut.covering(at('2026-06-04T02:15:00Z'))?.start).toEqual(at('2026-06-04T02:00:00Z'));
  });

  it('should end after COUNT occurrences and after UNTIL', () => {
    const counted = recurrenceOf(
      timing({ startsAt: at('2026-01-01T00:00:00Z'), rrule: 'FREQ=DAILY;COUNT=3' }),
    );
    expect(counted.next(at('2026-01-02T12:00:00Z'))?.start).toEqual(at('2026-01-03T00:00:00Z'));
    expect(counted.next(at('2026-01-03T12:00:00Z'))).toBeNull();
    const until = recurrenceOf(
      timing({ startsAt: at('2026-01-01T00:00:00Z'), rrule: 'FREQ=DAILY;UNTIL=20260105T000000Z' }),
    );
    expect(until.covering(at('2026-01-05T01:00:00Z'))?.start).toEqual(at('2026-01-05T00:00:00Z'));
    expect(until.covering(at('2026-01-06T01:00:00Z'))).toBeNull();
    expect(until.next(at('2026-01-05T12:00:00Z'))).toBeNull();
  });

  it('should cover with the occurrence started last when occurrences overlap', () => {
    const sut = recurrenceOf(
      timing({ startsAt: at('2026-01-01T00:00:00Z'), durationMinutes: 180, rrule: 'FREQ=HOURLY' }),
    );
    expect(sut.covering(at('2026-05-01T10:30:00Z'))).toEqual({
      start: at('2026-05-01T10:00:00Z'),
      end: at('2026-05-01T13:00:00Z'),
    });
  });

  it.each([
    'FREQ=DAILY;INTERVAL=3',
    'FREQ=HOURLY;INTERVAL=5;BYMINUTE=15,45',
    'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;BYSETPOS=-1',
    'FREQ=WEEKLY;INTERVAL=3',
    'FREQ=MINUTELY;INTERVAL=7;BYHOUR=3',
    'FREQ=MINUTELY;INTERVAL=7;BYMINUTE=0,30',
    'FREQ=HOURLY;INTERVAL=2;BYHOUR=1,3,5;BYDAY=MO',
    'FREQ=DAILY;BYMONTH=3,10;BYHOUR=1,2,3',
  ])('should find the occurrences a walk from the start finds, years later, for %s', (rule) => {
    const startsAt = at('2024-02-29T01:23:45Z');
    const sut = recurrenceOf(timing({ startsAt, durationMinutes: 1, rrule: rule }));
    const walk = new RRule({ ...RRule.parseString(rule), dtstart: startsAt });
    for (const [from, to] of [
      [at('2027-03-20T00:00:00Z'), at('2027-04-10T00:00:00Z')],
      [at('2029-10-13T05:00:00Z'), at('2029-11-02T00:00:00Z')],
    ] as const) {
      const expected = walk.between(from, to, true);
      expect(expected.length).toBeGreaterThan(0);
      const found = sut.overlapping(from, to).map((occurrence) => occurrence.start);
      expect(found.filter((start) => start >= from)).toEqual(expected);
    }
  });

  it('should answer a minutely window years after its start quickly', () => {
    const sut = recurrenceOf(
      timing({ startsAt: at('2020-01-01T00:00:00Z'), durationMinutes: 1, rrule: 'FREQ=MINUTELY' }),
    );
    const started = performance.now();
    expect(sut.covering(at('2026-06-01T12:34:56Z'))?.start).toEqual(at('2026-06-01T12:34:00Z'));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each([
    ['garbage', 'rrule: "garbage" is not a NAME=VALUE part'],
    ['FREQ=SECONDLY', 'rrule: FREQ=SECONDLY is not supported'],
    ['FREQ=MINUTELY;BYSECOND=0,30', 'rrule: occurrences more often than once a minute need an end'],
    ['FREQ=FORTNIGHTLY', 'rrule: FREQ must be MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY'],
    ['BYDAY=SU', 'rrule: FREQ is required'],
    ['FREQ=WEEKLY;BYDAY=XX', 'rrule: BYDAY takes days such as MO'],
    ['FREQ=WEEKLY;FOO=1', 'rrule: FOO is not an RRULE part'],
    ['FREQ=DAILY;BYHOUR=25', 'rrule: BYHOUR must be a comma-separated list of 0..23'],
    ['FREQ=DAILY;INTERVAL=0', 'rrule: INTERVAL must be a whole number from 1'],
    ['FREQ=DAILY;COUNT=abc', 'rrule: COUNT must be a whole number from 1 to 10000'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z', 'rrule: give COUNT or UNTIL, not both'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'rrule: FREQ is given twice'],
    ['FREQ=DAILY;UNTIL=20251301', 'rrule: UNTIL 20251301 is not a real date'],
    ['FREQ=DAILY;UNTIL=20200101T000000Z', 'rrule: UNTIL is before startsAt'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'rrule: BYMONTHDAY=30 never falls in BYMONTH=2'],
    ['DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY', 'rrule: give only the RRULE value'],
  ])('should refuse %j with a message naming the problem', (rule, message) => {
    expect(refusal({ rrule: rule })).toContain(message);
  });

  it('should accept an endless minutely rule and a sub-minute rule that ends', () => {
    expect(() => recurrenceOf(timing({ rrule: 'FREQ=MINUTELY' }))).not.toThrow();
    expect(() => recurrenceOf(timing({ rrule: 'FREQ=MINUTELY;BYSECOND=0,30;COUNT=20' }))).not.toThrow();
    expect(() => recurrenceOf(timing({ rrule: 'rrule:freq=weekly;byday=su,sa' }))).not.toThrow();
  });

  it('should refuse an unknown time zone', () => {
    expect(refusal({ timezone: 'Mars/Olympus' })).toBe(
      'timezone: "Mars/Olympus" is not a known time zone (e.g. Europe/Paris, UTC)',
    );
  });
});
