import { z } from 'zod';

import { IsoTime } from '../schemas/common';
import {
  ByIdRequest,
  DeletedReply,
  Description,
  EntityId,
  EntityName,
  HostScope,
  ListCursor,
  ListLimit,
  listReply,
} from './alerting-common';
import { TokenActor } from './auth-tokens';

export const MaintenanceWindowInput = z
  .object({
    name: EntityName,
    description: Description,
    enabled: z.boolean().default(true),
    /** The first (or only) occurrence starts here; recurrences keep its wall-clock time in `timezone`. */
    startsAt: IsoTime,
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(31 * 24 * 60),
    /** An RFC 5545 RRULE, e.g. `FREQ=WEEKLY;BYDAY=SU` (a `RRULE:` prefix is accepted); absent for one-off windows. */
    rrule: z.string().trim().min(1).max(1000).nullable().default(null),
    timezone: z.string().min(1).max(64).default('UTC'),
    scope: HostScope.default({ hostIds: [], tags: [] }),
  })
  .strict();
export type MaintenanceWindowInput = z.infer<typeof MaintenanceWindowInput>;

const Occurrence = z.object({ start: IsoTime, end: IsoTime });

export const MaintenanceWindow = MaintenanceWindowInput.extend({
  id: EntityId,
  tenantId: z.string(),
  /** Whether an occurrence covers the moment of the reply. */
  active: z.boolean(),
  currentOccurrence: Occurrence.nullable(),
  nextOccurrence: Occurrence.nullable(),
  createdBy: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const EscalationStep = z
  .object({
    /** Minutes after the alert started firing, unacknowledged, before this step notifies. */
    afterMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    channelIds: z.array(EntityId).min(1).max(20),
  })
  .strict();

export const EscalationPolicyInput = z
  .object({
    name: EntityName,
    description: Description,
    steps: z
      .array(EscalationStep)
      .min(1)
      .max(10)
      .refine(
        (steps) =>
          steps.every((step, index) => index === 0 || step.afterMinutes >= steps[index - 1]!.afterMinutes),
        'steps must be in order of afterMinutes',
      ),
    /** How many more times the whole sequence runs after its last step, while nobody acknowledges. */
    repeat: z.number().int().min(0).max(10).default(0),
  })
  .strict();
export type EscalationPolicyInput = z.infer<typeof EscalationPolicyInput>;

export const EscalationPolicy = EscalationPolicyInput.extend({
  id: EntityId,
  tenantId: z.string(),
  createdBy: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

export const SmtpSettingsInput = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
    secure: z.boolean().default(false),
    username: z.string().max(255).nullable().default(null),
    /** Write-only; left out on update, the stored one stays. */
    password: z.string().max(1024).optional(),
    from: z.string().min(3).max(320),
  })
  .strict();

export const AnomalyDefaults = z
  .object({
    zWarning: z.number().gt(0).max(100).default(2),
    zCritical: z.number().gt(0).max(100).default(3),
    alpha: z.number().gt(0).lte(1).default(0.3),
    warmupSamples: z.number().int().min(2).max(100_000).default(30),
  })
  .strict()
  .refine((value) => value.zWarning <= value.zCritical, {
    message: 'zWarning must not be above zCritical',
    path: ['zWarning'],
  });

export const FlappingSettings = z
  .object({
    /** An alert changing state more than `maxTransitions` times within `windowSeconds` is flapping. */
    windowSeconds: z.number().int().min(60).max(86_400).default(600),
    maxTransitions: z.number().int().min(2).max(100).default(6),
  })
  .strict();

export const AlertingSettings = z.object({
  tenantId: z.string(),
  smtp: SmtpSettingsInput.omit({ password: true }).extend({ passwordSet: z.boolean() }).nullable(),
  anomaly: AnomalyDefaults,
  flapping: FlappingSettings,
  updatedAt: IsoTime.nullable(),
});
export type AlertingSettings = z.infer<typeof AlertingSettings>;

export const alertingPoliciesRpc = {
  'rpc.alerting.maintenanceWindows.list': {
    request: z
      .object({
        actor: TokenActor,
        active: z.boolean().optional(),
        limit: ListLimit,
        cursor: ListCursor.optional(),
      })
      .strict(),
    reply: listReply(MaintenanceWindow),
  },
  'rpc.alerting.maintenanceWindows.get': { request: ByIdRequest, reply: MaintenanceWindow },
  'rpc.alerting.maintenanceWindows.create': {
    request: z.object({ actor: TokenActor, window: MaintenanceWindowInput }).strict(),
    reply: MaintenanceWindow,
  },
  'rpc.alerting.maintenanceWindows.update': {
    request: z
      .object({ actor: TokenActor, id: EntityId, changes: z.record(z.string(), z.unknown()) })
      .strict(),
    reply: MaintenanceWindow,
  },
  'rpc.alerting.maintenanceWindows.delete': { request: ByIdRequest, reply: DeletedReply },
  'rpc.alerting.escalationPolicies.list': {
    request: z.object({ actor: TokenActor, limit: ListLimit, cursor: ListCursor.optional() }).strict(),
    reply: listReply(EscalationPolicy),
  },
  'rpc.alerting.escalationPolicies.get': { request: ByIdRequest, reply: EscalationPolicy },
  'rpc.alerting.escalationPolicies.create': {
    request: z.object({ actor: TokenActor, policy: EscalationPolicyInput }).strict(),
    reply: EscalationPolicy,
  },
  'rpc.alerting.escalationPolicies.update': {
    request: z
      .object({ actor: TokenActor, id: EntityId, changes: z.record(z.string(), z.unknown()) })
      .strict(),
    reply: EscalationPolicy,
  },
  'rpc.alerting.escalationPolicies.delete': { request: ByIdRequest, reply: DeletedReply },
  'rpc.alerting.settings.get': { request: z.object({ actor: TokenActor }).strict(), reply: AlertingSettings },
  'rpc.alerting.settings.update': {
    request: z
      .object({
        actor: TokenActor,
        smtp: SmtpSettingsInput.nullable().optional(),
        anomaly: AnomalyDefaults.optional(),
        flapping: FlappingSettings.optional(),
      })
      .strict(),
    reply: AlertingSettings,
  },
} as const;
