import { InvalidArgumentError } from 'commander';

import { InvalidDurationError, parseDuration } from './format/duration';

/** Option parsers: commander reports their errors as usage errors (exit code 2). */
export function positiveInteger(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return Number(value);
}

export function durationSeconds(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof InvalidDurationError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** `--label k=v`, repeatable, into one object. */
export function collectLabel(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator < 1) throw new InvalidArgumentError('expected name=value, such as mount=/');
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}
