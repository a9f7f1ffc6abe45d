import type { Condition } from './condition';

export interface ThresholdLevels {
  operator: '>' | '>=' | '<' | '<=';
  warning: number | null;
  critical: number | null;
  clear: number | null;
}

function breaches(operator: ThresholdLevels['operator'], value: number, level: number | null): boolean {
  if (level === null) return false;
  switch (operator) {
    case '>':
      return value > level;
    case '>=':
      return value >= level;
    case '<':
      return value < level;
    case '<=':
      return value <= level;
  }
}

/**
 * `current` is the severity of the open alert ('ok' when none): it decides whether the clear level (hysteresis) applies.
 *
 * Hold rule: an open alert whose value breaches no level but is still on the alerting side of `clear`
 * (the rule's operator applied to `clear`) stays open at 'warning' when the rule has a warning level,
 * otherwise at `current`; `level` is then the clear level. A NaN value carries no information, so it
 * keeps `current` rather than resolving or firing.
 */
export function evaluateThreshold(
  levels: ThresholdLevels,
  value: number,
  current: Condition,
): { condition: Condition; level: number | null } {
  const { operator, warning, critical, clear } = levels;
  if (Number.isNaN(value)) {
    return { condition: current, level: current === 'ok' ? null : (levels[current] ?? clear) };
  }
  if (breaches(operator, value, critical)) return { condition: 'critical', level: critical };
  if (breaches(operator, value, warning)) return { condition: 'warning', level: warning };
  if (current !== 'ok' && breaches(operator, value, clear)) {
    return { condition: warning === null ? current : 'warning', level: clear };
  }
  return { condition: 'ok', level: null };
}
