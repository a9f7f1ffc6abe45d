import { z } from 'zod';

import { HostIdSchema, Inventory, IsoTime, LIMITS, Sample, Tags } from './common';

/** The body an Optralis agent posts to `POST /v1/agent/reports` (CONTRACT.md). */
export const AgentReport = z.object({
  host: z.object({
    id: HostIdSchema,
    name: z.string().min(1).max(255),
    tags: Tags.optional(),
  }),
  seq: z.number().int().nonnegative(),
  time: IsoTime,
  metrics: z.array(Sample).max(LIMITS.samplesPerReport),
  inventory: Inventory.optional(),
});
export type AgentReport = z.infer<typeof AgentReport>;
