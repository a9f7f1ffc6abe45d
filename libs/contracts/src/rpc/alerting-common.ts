import { z } from 'zod';

import { HostIdSchema, LIMITS, MetricName } from '../schemas/common';
import { TokenActor } from './auth-tokens';

export const EntityId = z.uuid();
export const ListCursor = z.string().min(1).max(2048);
export const ListLimit = z.number().int().min(1).max(500).default(50);

export const EntityName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(
    (value) => ![...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
    'must not contain control characters',
  );
export const Description = z.string().max(2000).default('');

/** Which hosts an object applies to: empty lists mean every host of the tenant; tags must all be present. */
export const HostScope = z
  .object({
    hostIds: z.array(HostIdSchema).max(1000).default([]),
    tags: z.array(z.string().min(1).max(LIMITS.tagLength)).max(LIMITS.tagsPerHost).default([]),
  })
  .strict();
export type HostScope = z.infer<typeof HostScope>;
export const DEFAULT_SCOPE: HostScope = { hostIds: [], tags: [] };

/** Exact label values a sample must carry, e.g. `{ "mount": "/" }`. */
export const LabelMatcher = z
  .record(z.string().min(1).max(LIMITS.labelKeyLength), z.string().max(LIMITS.labelValueLength))
  .refine((labels) => Object.keys(labels).length <= LIMITS.labelsPerSample, {
    message: `at most ${LIMITS.labelsPerSample} labels`,
  });

export { MetricName };

export const ByIdRequest = z.object({ actor: TokenActor, id: EntityId }).strict();
export const DeletedReply = z.object({ id: EntityId, deleted: z.literal(true) });

export function listReply<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Error codes of `rpc.alerting.*` beyond the generic ones (`invalid_request`, `forbidden`, …). */
export const ALERTING_ERROR_CODES = {
  ruleNotFound: 'rule.not_found',
  channelNotFound: 'channel.not_found',
  maintenanceWindowNotFound: 'maintenance_window.not_found',
  escalationPolicyNotFound: 'escalation_policy.not_found',
  alertNotFound: 'alert.not_found',
  alertResolved: 'alert.already_resolved',
  unsafeUrl: 'channel.unsafe_url',
  channelInUse: 'channel.in_use',
  policyInUse: 'escalation_policy.in_use',
} as const;
