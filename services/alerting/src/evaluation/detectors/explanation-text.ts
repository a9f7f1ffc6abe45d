import type { Condition } from './condition';

const MAX_TEXT = 300;
const MAX_NAME = 80;
const MAX_LABELS = 120;
// Control characters and bidirectional overrides could break or disguise a notification line.
const UNSAFE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const operatorWords: Record<string, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
  '==': 'equal to',
  '!=': 'not equal to',
};

const units: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

interface Series {
  metric: string;
  labels: Record<string, string>;
  hostName: string;
}

export function describeThreshold(
  input: Series & {
    value: number;
    operator: string;
    level: number;
    condition: Condition;
    breachedForSeconds: number;
  },
): string {
  const words = operatorWords[input.operator] ?? clean(input.operator, 4);
  const kind = input.condition === 'ok' ? 'the level' : `the ${input.condition} level`;
  const lasting = input.breachedForSeconds > 0 ? ` for ${formatDuration(input.breachedForSeconds)}` : '';
  return limit(
    `${subject(input)} is ${formatNumber(input.value)}, ${words} ${kind} ${formatNumber(input.level)}${lasting}`,
  );
}

export function describeAnomaly(
  input: Series & {
    value: number;
    mean: number;
    sigma: number;
    z: number;
    alpha: number;
    warmupSamples: number;
    condition: Condition;
    /** Anomalous samples in a row, this one included. */
    consecutiveSamples?: number;
  },
): string {
  const side = input.z < 0 ? 'below' : 'above';
  const size = Math.abs(input.z);
  const times = size < 100 ? size.toFixed(1) : formatNumber(size);
  const model = `(EWMA α ${formatNumber(input.alpha)} over ${input.warmupSamples} samples)`;
  const run = (input.consecutiveSamples ?? 0) > 1 ? `, ${input.consecutiveSamples} samples in a row` : '';
  return limit(
    `${subject(input)} is ${formatNumber(input.value)}, ${times}σ ${side} its usual ` +
      `${formatNumber(input.mean)} ± ${formatNumber(input.sigma)} ${model}${run}`,
  );
}

export function describeForecast(
  input: Series & {
    latest: number;
    limit: number;
    hoursToLimit: number | null;
    slopePerHour: number;
    condition: Condition;
  },
): string {
  const level = formatNumber(input.limit);
  const now = `(now ${formatNumber(input.latest)})`;
  const rate = `${input.slopePerHour > 0 ? '+' : ''}${formatNumber(input.slopePerHour)} per hour`;
  if (input.hoursToLimit === null) return limit(`${subject(input)} is trending at ${rate} ${now}`);
  if (input.hoursToLimit <= 0) return limit(`${subject(input)} has reached ${level} ${now}`);
  const within = formatDuration(input.hoursToLimit * 3600);
  return limit(`${subject(input)} will reach ${level} in about ${within} at ${rate} ${now}`);
}

export function describeOffline(input: {
  hostName: string;
  silentSeconds: number;
  thresholdSeconds: number;
}): string {
  const host = clean(input.hostName, MAX_NAME) || 'The host';
  return limit(
    `${host} has not reported for ${formatDuration(input.silentSeconds)} ` +
      `(offline after ${formatDuration(input.thresholdSeconds)})`,
  );
}

export function describeResolved(input: {
  ruleName: string;
  hostName: string;
  value: number | null;
}): string {
  const host = clean(input.hostName, MAX_NAME);
  const where = host ? ` on ${host}` : '';
  const now = input.value === null ? '' : ` (now ${formatNumber(input.value)})`;
  return limit(`${clean(input.ruleName, MAX_NAME * 2)}${where} is resolved${now}`);
}

/** The two largest units, the smaller one rounded: "2 min 5 s", "3 h 20 min", "1 d 16 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'an unknown time';
  let total = Math.max(0, Math.round(seconds));
  for (let pass = 0; pass < 2; pass += 1) {
    const index = largestUnit(total);
    const step = units[Math.min(index + 1, units.length - 1)][1];
    total = Math.round(total / step) * step;
  }
  const index = largestUnit(total);
  const [name, size] = units[index];
  const whole = Math.floor(total / size);
  if (index === units.length - 1) return `${whole} ${name}`;
  const [smallName, smallSize] = units[index + 1];
  const rest = Math.round((total - whole * size) / smallSize);
  return rest > 0 ? `${whole} ${name} ${rest} ${smallName}` : `${whole} ${name}`;
}

function largestUnit(seconds: number): number {
  const index = units.findIndex(([, size]) => seconds >= size);
  return index === -1 ? units.length - 1 : index;
}

/**
 * Four significant digits, but never fewer digits than the integer part has: 97.23, 0.1235, 12346.
 * Exponents appear only outside 1e-6 … 1e21, where JavaScript itself switches to them.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? String(Math.round(value)) : String(Number(value.toPrecision(4)));
}

function subject(series: Series): string {
  const entries = Object.entries(series.labels)
    .map(([key, value]) => `${clean(key, MAX_NAME)}=${clean(value, MAX_NAME)}`)
    .sort();
  const labels = entries.length > 0 ? `{${truncate(entries.join(','), MAX_LABELS)}}` : '';
  const host = clean(series.hostName, MAX_NAME);
  return `${clean(series.metric, MAX_NAME)}${labels}${host ? ` on ${host}` : ''}`;
}

function clean(text: string, max: number): string {
  return truncate(text.replace(UNSAFE, '').trim(), max);
}

function limit(text: string): string {
  return truncate(text, MAX_TEXT);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
