import { z } from 'zod';

import { IsoTime } from '../schemas/common';
import {
  ByIdRequest,
  DeletedReply,
  Description,
  EntityId,
  EntityName,
  HostScope,
  LabelMatcher,
  ListCursor,
  ListLimit,
  listReply,
  MetricName,
} from './alerting-common';
import { TokenActor } from './auth-tokens';

export const RULE_KINDS = ['threshold', 'host_offline', 'anomaly', 'forecast'] as const;
export const RuleKind = z.enum(RULE_KINDS);
export type RuleKind = z.infer<typeof RuleKind>;

export const THRESHOLD_OPERATORS = ['>', '>=', '<', '<='] as const;
export const ThresholdOperator = z.enum(THRESHOLD_OPERATORS);
export type ThresholdOperator = z.infer<typeof ThresholdOperator>;

export const ANOMALY_DIRECTIONS = ['both', 'above', 'below'] as const;
export const AnomalyDirection = z.enum(ANOMALY_DIRECTIONS);

const Level = z.number().refine(Number.isFinite, 'must be a finite number');
const Seconds = (max: number) => z.number().int().min(0).max(max);

const RuleCommon = {
  name: EntityName,
  description: Description,
  enabled: z.boolean().default(true),
  scope: HostScope.default({ hostIds: [], tags: [] }),
  channelIds: z.array(EntityId).max(20).default([]),
  escalationPolicyId: EntityId.nullable().default(null),
};

export const ThresholdRuleInput = z
  .object({
    ...RuleCommon,
    kind: z.literal('threshold'),
    metric: MetricName,
    labels: LabelMatcher.default({}),
    operator: ThresholdOperator,
    warning: Level.nullable().default(null),
    critical: Level.nullable().default(null),
    /** The value must cross back past this level before a firing alert resolves (hysteresis). */
    clear: Level.nullable().default(null),
    forSeconds: Seconds(7 * 86_400).default(0),
  })
  .strict();

export const AnomalyRuleInput = z
  .object({
    ...RuleCommon,
    kind: z.literal('anomaly'),
    metric: MetricName,
    labels: LabelMatcher.default({}),
    /** `null` takes the tenant's setting (2 and 3 unless changed). */
    zWarning: z.number().gt(0).max(100).nullable().default(null),
    zCritical: z.number().gt(0).max(100).nullable().default(null),
    alpha: z.number().gt(0).lte(1).nullable().default(null),
    /**
     * Consecutive anomalous samples (same side) before the rule reports a deviation; a deviation of at least
     * twice zCritical counts at once. 2 keeps Gaussian noise quiet at the cost of one interval.
     */
    confirmSamples: z.number().int().min(1).max(60).default(2),
    warmupSamples: z.number().int().min(2).max(100_000).nullable().default(null),
    direction: AnomalyDirection.default('both'),
    /** Deviations smaller than this absolute amount never count, whatever σ says (flat series). */
    minDeviation: z.number().min(0).default(0),
    forSeconds: Seconds(86_400).default(0),
  })
  .strict();

export const HostOfflineRuleInput = z
  .object({
    ...RuleCommon,
    kind: z.literal('host_offline'),
    /** Fire after this long without a report; `null` with `missedIntervals` follows the host's own interval. */
    afterSeconds: z
      .number()
      .int()
      .min(5)
      .max(7 * 86_400)
      .nullable()
      .default(null),
    missedIntervals: z.number().int().min(1).max(1000).nullable().default(null),
    severity: z.enum(['warning', 'critical']).default('critical'),
  })
  .strict();

export const ForecastRuleInput = z
  .object({
    ...RuleCommon,
    kind: z.literal('forecast'),
    metric: MetricName,
    labels: LabelMatcher.default({}),
    /** The level the trend must not reach, e.g. 100 for `disk.used_pct`. */
    limit: Level,
    operator: z.enum(['>=', '<=']).default('>='),
    /** How much history the linear trend is fitted on. */
    windowSeconds: z
      .number()
      .int()
      .min(300)
      .max(30 * 86_400)
      .default(6 * 3600),
    /** Fire when the limit is forecast within this many hours. */
    warningHours: z
      .number()
      .positive()
      .max(24 * 365)
      .nullable()
      .default(24),
    criticalHours: z
      .number()
      .positive()
      .max(24 * 365)
      .nullable()
      .default(4),
    minSamples: z.number().int().min(3).max(10_000).default(10),
  })
  .strict();

/** What a rule's author sends; checks that span fields live in `validateRule`. */
export const RuleInput = z.discriminatedUnion('kind', [
  ThresholdRuleInput,
  AnomalyRuleInput,
  HostOfflineRuleInput,
  ForecastRuleInput,
]);
export type RuleInput = z.infer<typeof RuleInput>;
export type ThresholdRuleInput = z.infer<typeof ThresholdRuleInput>;
export type AnomalyRuleInput = z.infer<typeof AnomalyRuleInput>;
export type HostOfflineRuleInput = z.infer<typeof HostOfflineRuleInput>;
export type ForecastRuleInput = z.infer<typeof ForecastRuleInput>;

/** Checks across fields (level order, clear level side); an empty list means valid. */
export function ruleProblems(rule: RuleInput): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (rule.kind === 'threshold') {
    const { warning, critical, clear, operator } = rule;
    const above = operator === '>' || operator === '>=';
    if (warning === null && critical === null) {
      problems.push({ path: 'warning', message: 'a threshold rule needs a warning or a critical level' });
    }
    if (warning !== null && critical !== null && (above ? warning > critical : warning < critical)) {
      problems.push({
        path: 'warning',
        message: above
          ? `for "${operator}" the warning level must not be above the critical level`
          : `for "${operator}" the warning level must not be below the critical level`,
      });
    }
    const lowest = warning ?? critical;
    if (clear !== null && lowest !== null && (above ? clear > lowest : clear < lowest)) {
      problems.push({
        path: 'clear',
        message: above
          ? 'the clear level must be at or below the lowest alerting level'
          : 'the clear level must be at or above the lowest alerting level',
      });
    }
  }
  if (rule.kind === 'anomaly' && rule.zWarning !== null && rule.zCritical !== null) {
    if (rule.zWarning > rule.zCritical) {
      problems.push({ path: 'zWarning', message: 'zWarning must not be above zCritical' });
    }
  }
  if (rule.kind === 'host_offline' && rule.afterSeconds !== null && rule.missedIntervals !== null) {
    problems.push({ path: 'afterSeconds', message: 'give afterSeconds or missedIntervals, not both' });
  }
  if (rule.kind === 'forecast') {
    if (rule.warningHours === null && rule.criticalHours === null) {
      problems.push({ path: 'warningHours', message: 'a forecast rule needs warningHours or criticalHours' });
    }
    if (rule.warningHours !== null && rule.criticalHours !== null && rule.criticalHours > rule.warningHours) {
      problems.push({ path: 'criticalHours', message: 'criticalHours must not be above warningHours' });
    }
  }
  return problems;
}

const RuleMeta = {
  id: EntityId,
  tenantId: z.string(),
  createdBy: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
};

export const Rule = z.discriminatedUnion('kind', [
  ThresholdRuleInput.extend(RuleMeta),
  AnomalyRuleInput.extend(RuleMeta),
  HostOfflineRuleInput.extend(RuleMeta),
  ForecastRuleInput.extend(RuleMeta),
]);
export type Rule = z.infer<typeof Rule>;

export const alertingRulesRpc = {
  'rpc.alerting.rules.list': {
    request: z
      .object({
        actor: TokenActor,
        kind: RuleKind.optional(),
        enabled: z.boolean().optional(),
        limit: ListLimit,
        cursor: ListCursor.optional(),
      })
      .strict(),
    reply: listReply(Rule),
  },
  'rpc.alerting.rules.get': { request: ByIdRequest, reply: Rule },
  'rpc.alerting.rules.create': {
    request: z.object({ actor: TokenActor, rule: RuleInput }).strict(),
    reply: Rule,
  },
  /** `changes` is merged onto the stored rule and the result validated as a whole (`kind` cannot change). */
  'rpc.alerting.rules.update': {
    request: z
      .object({ actor: TokenActor, id: EntityId, changes: z.record(z.string(), z.unknown()) })
      .strict(),
    reply: Rule,
  },
  'rpc.alerting.rules.delete': { request: ByIdRequest, reply: DeletedReply },
} as const;
