/**
 * Wall-clock times are carried as Dates whose UTC fields read as the local time in a zone (rrule.js
 * computes recurrences in UTC; doing it on wall-clock values keeps "every Sunday 02:00" at 02:00 across
 * daylight-saving changes, whatever the zone of the machine).
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timezone, format);
  }
  return format;
}

export function isTimeZone(name: string): boolean {
  try {
    formatOf(name);
    return true;
  } catch {
    return false;
  }
}

export function wallClockOf(instant: Date, timezone: string): Date {
  const fields: Record<string, number> = {};
  for (const part of formatOf(timezone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return new Date(
    Date.UTC(
      fields.year!,
      fields.month! - 1,
      fields.day!,
      fields.hour!,
      fields.minute!,
      fields.second!,
      instant.getUTCMilliseconds(),
    ),
  );
}

/** The instant showing `wallClock` in the zone; a time skipped by a DST change lands beside the gap. */
export function instantOf(wallClock: Date, timezone: string): Date {
  const offsetAt = (time: number): number => wallClockOf(new Date(time), timezone).getTime() - time;
  const guess = wallClock.getTime() - offsetAt(wallClock.getTime());
  return new Date(wallClock.getTime() - offsetAt(guess));
}
