import { serviceEnv } from '@optralis/config';
import type { z } from 'zod';

export const GatewayEnv = serviceEnv('gateway', 8080, {});
export type GatewayConfig = z.output<typeof GatewayEnv>;
