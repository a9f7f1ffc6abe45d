import { BooleanFlag, serviceEnv } from '@optralis/config';
import { z } from 'zod';

const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const EncryptionKey = z
  .string()
  .refine((value) => Buffer.from(value.trim(), 'base64').length === 32, 'must be 32 bytes in base64');

/** `all`, or partition numbers and ranges such as `0-3,6`. */
const PartitionList = z
  .string()
  .trim()
  .regex(/^(all|\d+(-\d+)?(,\d+(-\d+)?)*)$/, 'must be "all" or a list such as 0-3,6');

export const AlertingEnv = serviceEnv('alerting', 8083, {
  /** METRICS partitions this instance may evaluate; several instances split them through leases. */
  ALERTING_PARTITIONS: PartitionList.default('all'),
  /** How often a partition's evaluation state (baselines, windows, presence) is written to Postgres. */
  ALERTING_CHECKPOINT_SECONDS: whole(1, 3600).default(5),
  /** How often an instance tries to take partitions nobody holds. */
  ALERTING_LEASE_RETRY_SECONDS: whole(1, 3600).default(5),
  /** Samples stamped further than this from the receive time are evaluated at the receive time. */
  ALERTING_MAX_CLOCK_SKEW_SECONDS: whole(0, 86_400).default(300),
  /** CONTRACT.md: outbound targets on loopback or private ranges are refused unless this is true. */
  OPTRALIS_OUTBOUND_ALLOW_PRIVATE: BooleanFlag.default(false),
  /** Seals channel secrets at rest; without it a key file is created once with mode 0600. */
  ALERTING_SECRET_KEY: EncryptionKey.optional(),
  ALERTING_MASTER_KEY_FILE: z.string().min(1).default('.optralis/alerting-master.key'),
  /** SMTP server for tenants that set none, e.g. smtp://user:pass@mail.example.com:587. */
  ALERTING_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must be smtp://host:port or smtps://host:port')
    .optional(),
  ALERTING_SMTP_FROM: z.string().min(3).max(320).default('optralis@localhost'),
  ALERTING_DELIVERY_TIMEOUT_MS: whole(100, 120_000).default(10_000),
  ALERTING_DELIVERY_MAX_ATTEMPTS: whole(1, 100).default(10),
  ALERTING_DELIVERY_BACKOFF_MS: whole(10, 600_000).default(2_000),
  ALERTING_DELIVERY_MAX_BACKOFF_MS: whole(100, 86_400_000).default(15 * 60_000),
  ALERTING_DELIVERY_CONCURRENCY: whole(1, 1000).default(32),
  ALERTING_PAGERDUTY_EVENTS_URL: z.url().default('https://events.pagerduty.com/v2/enqueue'),
  /** Where notifications link to, e.g. https://optralis.example.com. */
  ALERTING_CONSOLE_URL: z.url().optional(),
});
export type AlertingConfig = z.output<typeof AlertingEnv>;

/** The partitions named by ALERTING_PARTITIONS, within 0..partitions-1. */
export function ownedPartitions(list: string, partitions: number): number[] {
  if (list === 'all') return Array.from({ length: partitions }, (_, index) => index);
  const owned = new Set<number>();
  for (const part of list.split(',')) {
    const [first, last = first] = part.split('-').map(Number) as [number, number?];
    for (let partition = first; partition <= (last ?? first); partition++) {
      if (partition < partitions) owned.add(partition);
    }
  }
  return [...owned].sort((left, right) => left - right);
}
