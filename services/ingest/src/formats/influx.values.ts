const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_E = 69;
const LOWER_E = 101;
const LOWER_I = 105;
const LOWER_U = 117;

export const INVALID = 'invalid';
export const OUT_OF_RANGE = 'out of range';

const BOOLEANS = new Map<string, number>([
  ...['t', 'T', 'true', 'True', 'TRUE'].map((word) => [word, 1] as const),
  ...['f', 'F', 'false', 'False', 'FALSE'].map((word) => [word, 0] as const),
]);

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;
/** Shorter integers always fit in 64 bits: only longer ones go through BigInt. */
const SAFE_DIGITS = 18;
/** A signed 64-bit count of nanoseconds has at most 19 digits. */
const TIMESTAMP_DIGITS = 19;

/** A non-string field value (float, `i` integer, `u` unsigned, boolean as 1/0), or why it is refused. */
export function fieldNumber(token: string): number | typeof INVALID | typeof OUT_OF_RANGE {
  const boolean = BOOLEANS.get(token);
  if (boolean !== undefined) return boolean;
  const last = token.charCodeAt(token.length - 1);
  if (last === LOWER_I || last === LOWER_U) {
    const digits = token.slice(0, -1);
    const signed = last === LOWER_I;
    if (!isInteger(digits, signed)) return INVALID;
    return fits64Bits(digits, signed) ? Number(digits) : OUT_OF_RANGE;
  }
  return isFloat(token) ? Number(token) : INVALID;
}

export function isTimestamp(token: string): boolean {
  const digits = token.charCodeAt(0) === MINUS ? token.length - 1 : token.length;
  return digits <= TIMESTAMP_DIGITS && isInteger(token, true);
}

/** `-?[0-9]+` (sign only when `signed`). */
function isInteger(text: string, signed: boolean): boolean {
  const start = signed && text.charCodeAt(0) === MINUS ? 1 : 0;
  if (start === text.length) return false;
  return skipDigits(text, start) === text.length;
}

/** `-?(digits[.digits]|.digits)([eE][+-]?digits)?`, checked by hand: no NaN, Infinity, hex or blanks reach Number(). */
function isFloat(text: string): boolean {
  let index = text.charCodeAt(0) === MINUS ? 1 : 0;
  const integerEnd = skipDigits(text, index);
  let fractionEnd = integerEnd;
  if (text.charCodeAt(integerEnd) === DOT) fractionEnd = skipDigits(text, integerEnd + 1);
  const digits = integerEnd - index + Math.max(0, fractionEnd - integerEnd - 1);
  if (digits === 0) return false;
  index = fractionEnd;
  const exponent = text.charCodeAt(index);
  if (exponent === LOWER_E || exponent === UPPER_E) {
    const sign = text.charCodeAt(index + 1);
    const start = sign === PLUS || sign === MINUS ? index + 2 : index + 1;
    index = skipDigits(text, start);
    if (index === start) return false;
  }
  return index === text.length;
}

function fits64Bits(digits: string, signed: boolean): boolean {
  if (digits.length <= SAFE_DIGITS) return true;
  const value = BigInt(digits);
  return signed ? value >= INT64_MIN && value <= INT64_MAX : value <= UINT64_MAX;
}

function skipDigits(text: string, from: number): number {
  let index = from;
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < ZERO || code > NINE) break;
  }
  return index;
}
