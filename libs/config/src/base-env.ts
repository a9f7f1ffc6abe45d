import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const Port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const BooleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const NatsUrl = z
  .string()
  .min(1)
  .refine((value) => value.split(',').every((url) => /^(nats|tls|ws|wss):\/\/[^\s]+$/.test(url.trim())), {
    message: 'must be nats://host:port (comma-separated for a cluster)',
  });

const DatabaseUrl = z
  .string()
  .min(1)
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value), {
    message: 'must be postgres://user@host:port/database',
  });

/** Variables every service reads (ARCHITECTURE.md: defaults that run on one machine). */
export const baseEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NATS_URL: NatsUrl.default('nats://127.0.0.1:4222'),
  DATABASE_URL: DatabaseUrl.default('postgres://postgres@127.0.0.1:5432/optralis'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Prefixes every subject and stream name; lets tests or several installs share one NATS. */
  NATS_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,31}$/, 'must be lowercase letters and digits, starting with a letter')
    .optional(),
  METRICS_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(8),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5000),
  HOST: z.string().min(1).default('0.0.0.0'),
};

export const BaseEnv = z.object(baseEnvShape);
export type BaseEnv = z.output<typeof BaseEnv>;

/** `<SERVICE>_PORT` with its CONTRACT.md default. */
export function portVariable(service: string): string {
  return `${service.toUpperCase()}_PORT`;
}

export function serviceEnv<Name extends string, Extra extends z.ZodRawShape>(
  service: Name,
  defaultPort: number,
  extra: Extra,
) {
  return z.object({
    ...baseEnvShape,
    [portVariable(service)]: Port.default(defaultPort),
    ...extra,
  } as typeof baseEnvShape & Record<`${Uppercase<Name>}_PORT`, z.ZodDefault<typeof Port>> & Extra);
}
