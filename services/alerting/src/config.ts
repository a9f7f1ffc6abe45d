import { serviceEnv } from '@optralis/config';
import type { z } from 'zod';

export const AlertingEnv = serviceEnv('alerting', 8083, {});
export type AlertingConfig = z.output<typeof AlertingEnv>;
