import { z } from 'zod';

import { AnomalyExplanation, ThresholdExplanation } from '../schemas/alert-event';
import { HostIdSchema, IsoTime } from '../schemas/common';
import { ALERT_SEVERITIES, ALERT_STATES } from '../subjects';
import { Delivery } from './alerting-channels';
import { EntityId, ListCursor, ListLimit, listReply } from './alerting-common';
import { RuleKind } from './alerting-rules';
import { TokenActor } from './auth-tokens';

export const AlertExplanation = z.union([
  AnomalyExplanation,
  ThresholdExplanation,
  z.record(z.string(), z.unknown()),
]);

export const Alert = z.object({
  id: EntityId,
  tenantId: z.string(),
  ruleId: EntityId,
  ruleName: z.string(),
  ruleKind: RuleKind,
  hostId: z.string(),
  hostName: z.string(),
  metric: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(ALERT_STATES),
  flapping: z.boolean(),
  value: z.number().nullable(),
  explanation: AlertExplanation.nullable(),
  /** The explanation in plain words, as notifications show it. */
  summary: z.string(),
  startedAt: IsoTime,
  firingAt: IsoTime.nullable(),
  acknowledgedAt: IsoTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: IsoTime.nullable(),
  updatedAt: IsoTime,
});
export type Alert = z.infer<typeof Alert>;

export const AlertTransition = z.object({
  fromState: z.enum(ALERT_STATES).nullable(),
  toState: z.enum(ALERT_STATES),
  severity: z.enum(ALERT_SEVERITIES),
  value: z.number().nullable(),
  summary: z.string(),
  actor: z.string().nullable(),
  time: IsoTime,
});

export const AlertDetail = Alert.extend({
  transitions: z.array(AlertTransition),
  deliveries: z.array(Delivery),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const alertingAlertsRpc = {
  'rpc.alerting.alerts.list': {
    request: z
      .object({
        actor: TokenActor,
        /** `true`: pending, firing, acknowledged or suppressed; `false`: resolved only. */
        open: z.boolean().optional(),
        state: z.enum(ALERT_STATES).optional(),
        severity: z.enum(ALERT_SEVERITIES).optional(),
        hostId: HostIdSchema.optional(),
        ruleId: EntityId.optional(),
        from: IsoTime.optional(),
        to: IsoTime.optional(),
        limit: ListLimit,
        cursor: ListCursor.optional(),
      })
      .strict(),
    reply: listReply(Alert),
  },
  'rpc.alerting.alerts.get': {
    request: z.object({ actor: TokenActor, id: EntityId }).strict(),
    reply: AlertDetail,
  },
  /** Acknowledging stops escalation; the alert stays open until its condition clears. */
  'rpc.alerting.alerts.ack': {
    request: z.object({ actor: TokenActor, id: EntityId, note: z.string().max(2000).optional() }).strict(),
    reply: Alert,
  },
} as const;

/**
 * The JSON body of a webhook delivery (CONTRACT.md), signed with `X-Optralis-Signature`:
 * `sha256=` + hex HMAC-SHA256 of `X-Optralis-Timestamp + "." + body` with the channel's secret.
 */
export const AlertNotification = z.object({
  version: z.literal(1),
  type: z.enum(['alert.firing', 'alert.resolved', 'alert.acknowledged', 'alert.escalated', 'test']),
  deliveryId: z.string(),
  tenantId: z.string(),
  time: IsoTime,
  alert: z.object({
    id: z.string(),
    state: z.enum(ALERT_STATES),
    previousState: z.enum(ALERT_STATES).nullable(),
    severity: z.enum(ALERT_SEVERITIES),
    rule: z.object({ id: z.string(), name: z.string(), kind: RuleKind }),
    host: z.object({ id: z.string(), name: z.string() }),
    metric: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    value: z.number().nullable(),
    explanation: AlertExplanation.nullable(),
    summary: z.string(),
    startedAt: IsoTime,
    acknowledgedBy: z.string().nullable(),
    escalationStep: z.number().int().nullable(),
  }),
});
export type AlertNotification = z.infer<typeof AlertNotification>;
