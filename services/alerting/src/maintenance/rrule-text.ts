import { Frequency, type Options, Weekday } from 'rrule';

import { invalid } from '../shared/alerting.errors';

/** The end of a recurrence: an instant (`…Z`) or a wall-clock time in the window's time zone. */
export type RecurrenceEnd = { instant: Date } | { wallClock: Date };

export interface RecurrenceRule {
  options: Partial<Options>;
  until: RecurrenceEnd | null;
}

/** Matches rrule's cost: counted occurrences are enumerated from the start, so COUNT is bounded. */
export const MAX_COUNT = 10_000;

const FREQUENCIES: Record<string, Frequency> = {
  MINUTELY: Frequency.MINUTELY,
  HOURLY: Frequency.HOURLY,
  DAILY: Frequency.DAILY,
  WEEKLY: Frequency.WEEKLY,
  MONTHLY: Frequency.MONTHLY,
  YEARLY: Frequency.YEARLY,
};
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type NumberList = (text: string) => number[];

function numbers(part: string, low: number, high: number, signed = false): NumberList {
  return (text) =>
    text.split(',').map((item) => {
      const value = /^[+-]?\d{1,4}$/.test(item) ? Number(item) : NaN;
      const size = Math.abs(value);
      const ok = Number.isInteger(value) && (signed || !item.startsWith('-')) && size >= low && size <= high;
      if (!ok) {
        const range = signed ? `±${low}..${high}` : `${low}..${high}`;
        throw invalid(`rrule: ${part} must be a comma-separated list of ${range}, not "${text}"`);
      }
      return value;
    });
}

function weekday(text: string, part: string): Weekday {
  const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(text);
  const nth = match?.[1] === undefined ? undefined : Number(match[1]);
  if (!match || (nth !== undefined && (nth === 0 || Math.abs(nth) > 53))) {
    throw invalid(`rrule: ${part} takes days such as MO, TU or 1MO, -1FR; "${text}" is not one`);
  }
  const day = new Weekday(WEEKDAYS.indexOf(match[2]!));
  return nth === undefined ? day : day.nth(nth);
}

function positive(part: string, max: number): (text: string) => number {
  return (text) => {
    const value = /^\d{1,6}$/.test(text) ? Number(text) : 0;
    if (value < 1 || value > max) throw invalid(`rrule: ${part} must be a whole number from 1 to ${max}`);
    return value;
  };
}

function until(text: string): RecurrenceEnd {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(text);
  if (!match) throw invalid(`rrule: UNTIL must look like 20260131 or 20260131T235959Z, not "${text}"`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((value) => Number(value ?? NaN));
  const date = match[4] === undefined;
  const time = Date.UTC(year!, month! - 1, day!, date ? 23 : hour!, date ? 59 : minute!, date ? 59 : second!);
  const parsed = new Date(time);
  const real = parsed.getUTCMonth() === month! - 1 && parsed.getUTCDate() === day;
  if (Number.isNaN(time) || !real || (!date && (hour! > 23 || minute! > 59 || second! > 59))) {
    throw invalid(`rrule: UNTIL ${text} is not a real date`);
  }
  return match[7] ? { instant: parsed } : { wallClock: parsed };
}

/**
 * Parses the RRULE value strictly (rrule.js itself ignores much of what it cannot read). SECONDLY is
 * refused: a maintenance window never needs to start more than once a minute.
 */
export function parseRecurrence(text: string): RecurrenceRule {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (/[\r\n]/.test(body) || /^(DTSTART|EXDATE|RDATE)/i.test(body)) {
    throw invalid(
      'rrule: give only the RRULE value, e.g. FREQ=WEEKLY;BYDAY=SU; the start comes from startsAt',
    );
  }
  const options: Partial<Options> = {};
  let end: RecurrenceEnd | null = null;
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    const [name = '', value, ...rest] = part.split('=');
    const key = name.trim().toUpperCase();
    if (value === undefined || rest.length > 0 || value.trim() === '') {
      throw invalid(`rrule: "${part}" is not a NAME=VALUE part`);
    }
    if (seen.has(key)) throw invalid(`rrule: ${key} is given twice`);
    seen.add(key);
    const text = value.trim().toUpperCase();
    switch (key) {
      case 'FREQ':
        if (text === 'SECONDLY') {
          throw invalid(
            'rrule: FREQ=SECONDLY is not supported; a maintenance window recurs at most every minute',
          );
        }
        if (FREQUENCIES[text] === undefined) {
          throw invalid(
            `rrule: FREQ must be MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY, not "${text}"`,
          );
        }
        options.freq = FREQUENCIES[text];
        break;
      case 'INTERVAL':
        options.interval = positive(key, 100_000)(text);
        break;
      case 'COUNT':
        options.count = positive(key, MAX_COUNT)(text);
        break;
      case 'UNTIL':
        end = until(text);
        break;
      case 'BYSECOND':
        options.bysecond = numbers(key, 0, 59)(text);
        break;
      case 'BYMINUTE':
        options.byminute = numbers(key, 0, 59)(text);
        break;
      case 'BYHOUR':
        options.byhour = numbers(key, 0, 23)(text);
        break;
      case 'BYDAY':
        options.byweekday = text.split(',').map((item) => weekday(item, key));
        break;
      case 'BYMONTHDAY':
        options.bymonthday = numbers(key, 1, 31, true)(text);
        break;
      case 'BYYEARDAY':
        options.byyearday = numbers(key, 1, 366, true)(text);
        break;
      case 'BYWEEKNO':
        options.byweekno = numbers(key, 1, 53, true)(text);
        break;
      case 'BYMONTH':
        options.bymonth = numbers(key, 1, 12)(text);
        break;
      case 'BYSETPOS':
        options.bysetpos = numbers(key, 1, 366, true)(text);
        break;
      case 'WKST':
        if (!WEEKDAYS.includes(text)) throw invalid(`rrule: WKST must be one of ${WEEKDAYS.join(', ')}`);
        options.wkst = WEEKDAYS.indexOf(text);
        break;
      default:
        throw invalid(`rrule: ${key || '(empty)'} is not an RRULE part`);
    }
  }
  if (options.freq === undefined) throw invalid('rrule: FREQ is required, e.g. FREQ=WEEKLY;BYDAY=SU');
  if (options.count !== undefined && end) throw invalid('rrule: give COUNT or UNTIL, not both');
  checkMonthDays(options);
  return { options, until: end };
}

/** The usual impossible date (the 30th of February) is refused here, before rrule searches for it in vain. */
function checkMonthDays(options: Partial<Options>): void {
  const days = options.bymonthday as number[] | undefined;
  const months = options.bymonth as number[] | undefined;
  if (!days || !months) return;
  const possible = days.some((day) => months.some((month) => Math.abs(day) <= MONTH_DAYS[month - 1]!));
  if (!possible) {
    throw invalid(`rrule: BYMONTHDAY=${days.join(',')} never falls in BYMONTH=${months.join(',')}`);
  }
}
