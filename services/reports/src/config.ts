import { serviceEnv } from '@optralis/config';
import type { z } from 'zod';

export const ReportsEnv = serviceEnv('reports', 8084, {});
export type ReportsConfig = z.output<typeof ReportsEnv>;
