import type { Long } from 'protobufjs';

/** What protobufjs yields for a 64-bit field: a Long (long.js is installed) or, for small values, a number. */
export type Int64 = Long | number;

const TWO_TO_32 = 4_294_967_296;
const NANOSECONDS_PER_MILLISECOND = 1_000_000n;

/** Nearest double; exact up to 2^53. */
export function int64ToNumber(value: Int64): number {
  if (typeof value === 'number') return value;
  const high = value.unsigned ? value.high >>> 0 : value.high | 0;
  return high * TWO_TO_32 + (value.low >>> 0);
}

/** Epoch nanoseconds → epoch milliseconds (floor), exact beyond 2^53 through BigInt. */
export function nanosecondsToMilliseconds(value: Int64): number {
  if (typeof value === 'number') return Math.floor(value / 1e6);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  const nanoseconds = value.unsigned ? bits : BigInt.asIntN(64, bits);
  return Number(nanoseconds / NANOSECONDS_PER_MILLISECOND);
}
