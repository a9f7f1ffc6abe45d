import { serviceEnv } from '@optralis/config';
import type { z } from 'zod';

export const AuthEnv = serviceEnv('auth', 8082, {});
export type AuthConfig = z.output<typeof AuthEnv>;
