import { z } from 'zod';

import { ALERT_SEVERITIES, ALERT_STATES } from '../subjects';
import { HostIdSchema, IsoTime, TenantIdSchema } from './common';

export const AnomalyExplanation = z.object({
  value: z.number(),
  mean: z.number(),
  sigma: z.number().nonnegative(),
  z: z.number(),
  alpha: z.number().gt(0).lte(1),
  warmupSamples: z.number().int().nonnegative(),
  windowSeconds: z.number().nonnegative().optional(),
  varianceAlpha: z.number().gt(0).lte(1).optional(),
  /** Consecutive anomalous samples seen when the alert was raised. */
  consecutiveSamples: z.number().int().nonnegative().optional(),
});

export const ThresholdExplanation = z.object({
  value: z.number(),
  operator: z.enum(['>', '>=', '<', '<=', '==', '!=']),
  level: z.number(),
  breachedForSeconds: z.number().nonnegative(),
});

/** Published on `alerts.<tenant>.<severity>.<state>` for every change of an alert. */
export const AlertChanged = z.object({
  id: z.string().min(1).max(200),
  alertId: z.string().min(1).max(200),
  tenantId: TenantIdSchema,
  ruleId: z.string().min(1).max(200),
  ruleName: z.string().max(255),
  ruleKind: z.enum(['threshold', 'host_offline', 'anomaly', 'forecast']),
  hostId: HostIdSchema,
  hostName: z.string().max(255).optional(),
  metric: z.string().max(255).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(ALERT_STATES),
  previousState: z.enum(ALERT_STATES).optional(),
  value: z.number().nullable(),
  explanation: z
    .union([AnomalyExplanation, ThresholdExplanation, z.record(z.string(), z.unknown())])
    .optional(),
  summary: z.string().max(2000),
  acknowledgedBy: z.string().max(255).optional(),
  time: IsoTime,
});
export type AlertChanged = z.infer<typeof AlertChanged>;
