import { RuleInput, ruleProblems } from '@optralis/contracts';

import { invalid, invalidFromZod } from '../shared/alerting.errors';

/** A rule input that passed its schema but may still break a rule across fields. */
export function checkedRule(rule: RuleInput): RuleInput {
  const [problem] = ruleProblems(rule);
  if (problem) throw invalid(`${problem.path}: ${problem.message}`, { issues: ruleProblems(rule) });
  return rule;
}

/** The stored input with `changes` laid over it, validated as a whole; the kind stays what it was. */
export function mergedRule(stored: RuleInput, changes: Record<string, unknown>): RuleInput {
  if ('kind' in changes && changes.kind !== stored.kind) {
    throw invalid(`kind: a rule's kind cannot change (it is "${stored.kind}"); create a new rule instead`);
  }
  const parsed = RuleInput.safeParse({ ...stored, ...changes });
  if (!parsed.success) throw invalidFromZod(parsed.error);
  return checkedRule(parsed.data);
}
