const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const DURATION = /^(?:\d+[smhdw])+$/;
const PART = /(\d+)([smhdw])/g;
/** Far beyond any range the API serves (400 days), small enough to stay an exact integer. */
const MAX_SECONDS = 100 * 365 * 86_400;

export class InvalidDurationError extends Error {
  constructor(readonly text: string) {
    super(`"${text}" is not a duration such as 90s, 15m, 6h, 24h, 7d or 1h30m`);
    this.name = 'InvalidDurationError';
  }
}

/** `15m`, `6h`, `24h`, `7d`, `2w`, `1h30m` or plain seconds → seconds (at least 1). */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) {
    seconds = Number(trimmed);
  } else if (DURATION.test(trimmed)) {
    seconds = 0;
    for (const [, amount, unit] of trimmed.matchAll(PART)) {
      seconds += Number(amount) * UNIT_SECONDS[unit as Unit];
    }
  } else {
    throw new InvalidDurationError(text);
  }
  if (seconds < 1 || seconds > MAX_SECONDS) throw new InvalidDurationError(text);
  return seconds;
}

/** Seconds in the largest unit that fits, with the next one when it is not zero: `90` → `1m30s`. */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const amount = Math.floor(rest / UNIT_SECONDS[unit]);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * UNIT_SECONDS[unit];
    if (parts.length === 2) break;
    if (parts.length === 1 && amount === 0) break;
  }
  return parts.join('');
}

/** How long ago a time was, for people: `just now`, `42s ago`, `3h ago`, `in 2m` when ahead of us. */
export function formatAgo(time: string | Date, now: Date): string {
  const then = typeof time === 'string' ? new Date(time) : time;
  if (Number.isNaN(then.getTime())) return '?';
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (Math.abs(seconds) < 2) return 'just now';
  const size = Math.abs(seconds);
  const unit = size < 60 ? 's' : size < 3600 ? 'm' : size < 86_400 ? 'h' : 'd';
  const amount = Math.floor(size / UNIT_SECONDS[unit]);
  return seconds > 0 ? `${amount}${unit} ago` : `in ${amount}${unit}`;
}
