import { z } from 'zod';

import { HOST_EVENT_KINDS } from '../subjects';
import { HostIdSchema, IsoTime, TenantIdSchema } from './common';

export const HostEvent = z.object({
  id: z.string().min(1).max(200),
  tenantId: TenantIdSchema,
  hostId: HostIdSchema,
  hostName: z.string().max(255).optional(),
  kind: z.enum(HOST_EVENT_KINDS),
  time: IsoTime,
  data: z.record(z.string(), z.unknown()).default({}),
});
export type HostEvent = z.infer<typeof HostEvent>;
