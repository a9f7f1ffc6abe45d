import { z } from 'zod';

import { SERVICE_NAMES } from '../services';
import { IsoTime, TenantIdSchema } from './common';

/** Published on `audit.<tenant>.<service>`; auth appends it to the hash-chained journal. */
export const AuditEvent = z.object({
  id: z.string().min(1).max(200),
  tenantId: TenantIdSchema,
  service: z.enum(SERVICE_NAMES),
  actor: z.object({
    type: z.enum(['user', 'api_token', 'ingest_token', 'system']),
    id: z.string().max(200),
    name: z.string().max(255).optional(),
  }),
  action: z.string().min(1).max(200),
  target: z.object({ type: z.string().max(100), id: z.string().max(200) }).optional(),
  outcome: z.enum(['success', 'failure']).default('success'),
  requestId: z.string().max(200).optional(),
  ip: z.string().max(64).optional(),
  time: IsoTime,
  data: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
