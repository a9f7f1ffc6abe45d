import type { MaintenanceWindowInput } from '@optralis/contracts';
import { Frequency, type Options, RRule } from 'rrule';

import { AlertingError, invalid } from '../shared/alerting.errors';
import { parseRecurrence } from './rrule-text';
import { instantOf, isTimeZone, wallClockOf } from './zoned-time';

export interface WindowTiming {
  startsAt: Date;
  durationMinutes: number;
  rrule: string | null;
  timezone: string;
}

export function timingOf(input: MaintenanceWindowInput): WindowTiming {
  return {
    startsAt: new Date(input.startsAt),
    durationMinutes: input.durationMinutes,
    rrule: input.rrule,
    timezone: input.timezone,
  };
}

export interface Occurrence {
  start: Date;
  end: Date;
}

/** When a maintenance window is on. */
export interface Recurrence {
  /** The occurrence covering `at` (the one started last when several overlap), or null. */
  covering(at: Date): Occurrence | null;
  /** The first occurrence starting after `after`, or null when none is left. */
  next(after: Date): Occurrence | null;
  /** Every occurrence that overlaps [from, to], by start. */
  overlapping(from: Date, to: Date): Occurrence[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The first occurrences looked at to refuse an endless rule that starts more often than once a minute. */
const SAMPLED = 10;

/** Periods of a fixed wall-clock length: moving the start by whole periods leaves the occurrences as they are. */
const FIXED_PERIODS: Partial<Record<Frequency, number>> = {
  [Frequency.WEEKLY]: 7 * DAY,
  [Frequency.DAILY]: DAY,
  [Frequency.HOURLY]: 60 * MINUTE,
  [Frequency.MINUTELY]: MINUTE,
};

class SingleOccurrence implements Recurrence {
  private readonly occurrence: Occurrence;

  constructor(start: Date, durationMs: number) {
    this.occurrence = { start, end: new Date(start.getTime() + durationMs) };
  }

  covering(at: Date): Occurrence | null {
    return this.overlapping(at, at)[0] ?? null;
  }

  next(after: Date): Occurrence | null {
    return this.occurrence.start > after ? this.occurrence : null;
  }

  overlapping(from: Date, to: Date): Occurrence[] {
    const { start, end } = this.occurrence;
    return start <= to && end > from ? [this.occurrence] : [];
  }
}

class RepeatingOccurrences implements Recurrence {
  constructor(
    private readonly options: Partial<Options> & { dtstart: Date },
    private readonly timezone: string,
    private readonly durationMs: number,
  ) {}

  covering(at: Date): Occurrence | null {
    return this.overlapping(at, at).at(-1) ?? null;
  }

  next(after: Date): Occurrence | null {
    const low = this.wallClock(after.getTime(), -DAY);
    const high = this.wallClock(after.getTime(), 2 * DAY);
    const rule = this.ruleFrom(low);
    const soon = rule.between(low, high, true).map((date) => this.occurrenceAt(date));
    const found = soon.find((occurrence) => occurrence.start > after);
    if (found) return found;
    const later = this.isOver(high) ? null : rule.after(high);
    return later ? this.occurrenceAt(later) : null;
  }

  overlapping(from: Date, to: Date): Occurrence[] {
    const low = this.wallClock(from.getTime() - this.durationMs, -DAY);
    const high = this.wallClock(to.getTime(), DAY);
    if (this.isOver(low)) return [];
    return this.ruleFrom(low)
      .between(low, high, true)
      .map((date) => this.occurrenceAt(date))
      .filter((occurrence) => occurrence.start <= to && occurrence.end > from);
  }

  /**
   * A rule starting at most one period before `floor`, so rrule does not walk every period since startsAt.
   * Not for COUNT (counted from the start) nor MINUTELY with BYHOUR (rrule.js skips whole hours there,
   * so its minute grid depends on the walk).
   */
  ruleFrom(floor: Date): RRule {
    const { dtstart, freq, count, byhour } = this.options;
    const period = (FIXED_PERIODS[freq!] ?? 0) * (this.options.interval ?? 1);
    const grid = !(freq === Frequency.MINUTELY && Array.isArray(byhour) && byhour.length > 0);
    if (!period || !grid || count !== undefined || floor <= dtstart) return new RRule(this.options);
    const periods = Math.floor((floor.getTime() - dtstart.getTime()) / period);
    return new RRule({ ...this.options, dtstart: new Date(dtstart.getTime() + periods * period) });
  }

  private isOver(wallClock: Date): boolean {
    return Boolean(this.options.until && wallClock > this.options.until);
  }

  private wallClock(time: number, shift: number): Date {
    return new Date(wallClockOf(new Date(time), this.timezone).getTime() + shift);
  }

  private occurrenceAt(wallClock: Date): Occurrence {
    const start = instantOf(wallClock, this.timezone);
    return { start, end: new Date(start.getTime() + this.durationMs) };
  }
}

function compiled(timing: WindowTiming, text: string): RepeatingOccurrences {
  const { options, until } = parseRecurrence(text);
  const dtstart = wallClockOf(timing.startsAt, timing.timezone);
  dtstart.setUTCMilliseconds(0);
  const end = until && ('instant' in until ? wallClockOf(until.instant, timing.timezone) : until.wallClock);
  if (end && end < dtstart) throw invalid('rrule: UNTIL is before startsAt');
  const full = { ...options, dtstart, ...(end ? { until: end } : {}) };
  let first: Date[];
  try {
    first = new RRule(full).all((_, index) => index < SAMPLED);
  } catch (error) {
    throw invalid(`rrule: ${(error as Error).message}`);
  }
  if (first.length === 0) throw invalid('rrule: the rule yields no occurrence after startsAt');
  const endless = options.count === undefined && !end;
  const dense = first.some(
    (date, index) => index > 0 && date.getTime() - first[index - 1]!.getTime() < MINUTE,
  );
  if (endless && dense) {
    throw invalid('rrule: occurrences more often than once a minute need an end (COUNT or UNTIL)');
  }
  return new RepeatingOccurrences(full, timing.timezone, timing.durationMinutes * MINUTE);
}

/** The occurrences of a window; refuses (invalid_request) an unknown zone or an RRULE it cannot honour. */
export function recurrenceOf(timing: WindowTiming): Recurrence {
  if (!isTimeZone(timing.timezone)) {
    throw invalid(`timezone: "${timing.timezone}" is not a known time zone (e.g. Europe/Paris, UTC)`);
  }
  if (timing.rrule === null) return new SingleOccurrence(timing.startsAt, timing.durationMinutes * MINUTE);
  try {
    return compiled(timing, timing.rrule);
  } catch (error) {
    if (error instanceof AlertingError) throw error;
    throw invalid(`rrule: ${(error as Error).message}`);
  }
}
