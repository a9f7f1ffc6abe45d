import { z } from 'zod';

import { HostIdSchema, Inventory, IsoTime, LIMITS, Sample, Tags, TenantIdSchema } from './common';

export const REPORT_SOURCES = ['agent', 'influx', 'prometheus', 'otlp'] as const;

/** One normalised report: what ingest publishes on `metrics.p<k>.<tenant>.<host>`, whatever the wire format. */
export const MetricsReport = z.object({
  id: z.string().min(1).max(200),
  tenantId: TenantIdSchema,
  hostId: HostIdSchema,
  hostName: z.string().min(1).max(255),
  source: z.enum(REPORT_SOURCES),
  seq: z.number().int().nonnegative().optional(),
  time: IsoTime,
  receivedAt: IsoTime,
  tags: Tags.optional(),
  samples: z.array(Sample).max(LIMITS.samplesPerReport),
  inventory: Inventory.optional(),
});
export type MetricsReport = z.infer<typeof MetricsReport>;
