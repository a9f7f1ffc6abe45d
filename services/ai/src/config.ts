import { serviceEnv } from '@optralis/config';
import type { z } from 'zod';

export const AiEnv = serviceEnv('ai', 8085, {});
export type AiConfig = z.output<typeof AiEnv>;
