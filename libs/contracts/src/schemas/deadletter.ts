import { z } from 'zod';

import { IsoTime } from './common';

/** What `deadletter.<stream>` carries: the original message and why it was given up. */
export const DeadLetter = z.object({
  stream: z.string(),
  subject: z.string(),
  consumer: z.string(),
  streamSequence: z.number().int().nonnegative(),
  deliveries: z.number().int().nonnegative(),
  reason: z.string(),
  kind: z.enum(['invalid', 'rejected', 'exhausted']),
  failedAt: IsoTime,
  headers: z.record(z.string(), z.string()),
  /** Base64 of the original bytes, so nothing is lost even when they were not JSON. */
  data: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
