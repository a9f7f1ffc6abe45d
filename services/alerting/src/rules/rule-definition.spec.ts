import { RuleInput, ThresholdRuleInput } from '@optralis/contracts';

import { AlertingError } from '../shared/alerting.errors';
import { checkedRule, mergedRule } from './rule-definition';

const stored = ThresholdRuleInput.parse({
  kind: 'threshold',
  name: 'Disk full',
  metric: 'disk.used_pct',
  labels: { mount: '/' },
  operator: '>=',
  warning: 85,
  critical: 95,
  clear: 80,
});

function refusal(work: () => unknown): AlertingError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AlertingError);
    return error as AlertingError;
  }
  throw new Error('expected a refusal');
}

describe('rule definitions', () => {
  describe(checkedRule.name, () => {
    it('should return a rule whose levels agree', () => {
      expect(checkedRule(stored)).toBe(stored);
    });

    it('should name the field when warning is above critical for ">"', () => {
      const error = refusal(() => checkedRule({ ...stored, operator: '>', warning: 96 }));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toBe('warning: for ">" the warning level must not be above the critical level');
    });

    it('should refuse a clear level on the alerting side', () => {
      const error = refusal(() => checkedRule({ ...stored, clear: 90 }));
      expect(error.message).toBe('clear: the clear level must be at or below the lowest alerting level');
    });

    it('should refuse a host_offline rule with both afterSeconds and missedIntervals', () => {
      const rule = RuleInput.parse({
        kind: 'host_offline',
        name: 'gone',
        afterSeconds: 60,
        missedIntervals: 3,
      });
      expect(refusal(() => checkedRule(rule)).message).toBe(
        'afterSeconds: give afterSeconds or missedIntervals, not both',
      );
    });
  });

  describe(mergedRule.name, () => {
    it('should lay the changes over the stored rule and keep the rest', () => {
      expect(mergedRule(stored, { critical: 99, labels: {} })).toEqual({
        ...stored,
        critical: 99,
        labels: {},
      });
    });

    it('should accept the same kind but refuse another', () => {
      expect(mergedRule(stored, { kind: 'threshold' })).toEqual(stored);
      const error = refusal(() => mergedRule(stored, { kind: 'forecast' }));
      expect(error.message).toBe(
        `kind: a rule's kind cannot change (it is "threshold"); create a new rule instead`,
      );
    });

    it('should refuse an unknown field and name it', () => {
      const error = refusal(() => mergedRule(stored, { threshold: 5 }));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain('threshold');
    });

    it('should refuse a change that breaks the rule as a whole', () => {
      const error = refusal(() => mergedRule(stored, { operator: '<=' }));
      expect(error.message).toBe('warning: for "<=" the warning level must not be below the critical level');
    });

    it('should refuse a wrongly typed value and name the field', () => {
      expect(refusal(() => mergedRule(stored, { warning: 'high' })).message).toMatch(/^warning: /);
    });
  });
});
