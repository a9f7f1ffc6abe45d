import { LIMITS } from '@optralis/contracts';

import { DECIMAL_DIGITS, METRIC_NAME_CHARACTERS, METRIC_NAME_START } from './character-set';

const NAME_LENGTH = LIMITS.metricNameLength;

/**
 * The name made valid against the MetricName schema, or undefined when no valid name is left (empty, too long).
 * Other characters become `_`; a leading digit gets a `_` in front rather than being lost.
 */
export function metricName(name: string): string | undefined {
  if (name.length === 0 || name.length > NAME_LENGTH) return undefined;
  let clean = isValidTail(name) && METRIC_NAME_START.has(name.charCodeAt(0)) ? name : sanitise(name);
  if (clean.length > NAME_LENGTH) clean = '';
  return clean.length === 0 ? undefined : clean;
}

function isValidTail(name: string): boolean {
  for (let index = 1; index < name.length; index++) {
    if (!METRIC_NAME_CHARACTERS.has(name.charCodeAt(index))) return false;
  }
  return true;
}

function sanitise(name: string): string {
  const first = name.charCodeAt(0);
  let result = METRIC_NAME_START.has(first) ? name[0] : DECIMAL_DIGITS.has(first) ? `_${name[0]}` : '_';
  for (let index = 1; index < name.length; index++) {
    result += METRIC_NAME_CHARACTERS.has(name.charCodeAt(index)) ? name[index] : '_';
  }
  return result;
}

/** Remembers sanitised names within one request: the same few names repeat on every series. */
export class MetricNames {
  private readonly known = new Map<string, string | undefined>();

  of(name: string): string | undefined {
    let clean = this.known.get(name);
    if (clean === undefined && !this.known.has(name)) {
      clean = metricName(name);
      this.known.set(name, clean);
    }
    return clean;
  }
}
