import { serviceEnv } from '@optralis/config';
import type { z } from 'zod';

export const IngestEnv = serviceEnv('ingest', 8081, {});
export type IngestConfig = z.output<typeof IngestEnv>;
