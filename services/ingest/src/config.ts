import { serviceEnv } from '@optralis/config';
import { z } from 'zod';

const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const IngestEnv = serviceEnv('ingest', 8081, {
  /** Largest request body on the wire (compressed or not). */
  INGEST_MAX_BODY_BYTES: whole(1024, 256 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Largest body after gzip is undone: a gzip bomb stops here. */
  INGEST_MAX_DECOMPRESSED_BYTES: whole(1024, 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  /** Requests a single token may make per second before 429 (token bucket, burst = 2 s). */
  INGEST_RATE_LIMIT_PER_TOKEN: whole(1, 10_000_000).default(20_000),
  /** Reports awaiting their JetStream ack before new requests get 429. */
  INGEST_MAX_PENDING_PUBLISHES: whole(1, 1_000_000).default(20_000),
  /** How long a publish may wait for JetStream before the request gets 503. */
  INGEST_PUBLISH_TIMEOUT_MS: whole(100, 60_000).default(5_000),
  /** How long a verified ingest token is trusted without asking auth again (revocations are pushed). */
  INGEST_TOKEN_CACHE_SECONDS: whole(0, 3600).default(60),
  /** Timestamps further ahead than this are refused. */
  INGEST_MAX_FUTURE_SECONDS: whole(0, 86_400).default(600),
  /** Distinct series one host may have; new ones beyond it are dropped and counted. */
  INGEST_MAX_SERIES_PER_HOST: whole(1, 1_000_000).default(10_000),
  /** Retention per resolution, in days. Late data older than the raw retention is refused. */
  INGEST_RETENTION_RAW_DAYS: whole(1, 3650).default(7),
  INGEST_RETENTION_1M_DAYS: whole(1, 3650).default(30),
  INGEST_RETENTION_1H_DAYS: whole(1, 3650).default(400),
  /** Writer batches: messages per batch, longest wait for a batch to fill, batches written at once. */
  INGEST_WRITER_BATCH_SIZE: whole(1, 10_000).default(1_000),
  INGEST_WRITER_BATCH_WAIT_MS: whole(1, 60_000).default(250),
  INGEST_WRITER_CONCURRENCY: whole(1, 16).default(2),
  /** Whether this instance runs the writer (an intake-only instance sets false). */
  INGEST_WRITER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** How often committed batches are folded into the 1 min and 1 h rollups. */
  INGEST_ROLLUP_INTERVAL_SECONDS: whole(1, 3600).default(15),
  /** A host is offline after this many of its own report intervals without a report. */
  INGEST_OFFLINE_MISSED_INTERVALS: whole(1, 1000).default(3),
  INGEST_STATUS_SWEEP_SECONDS: whole(1, 3600).default(5),
});
export type IngestConfig = z.output<typeof IngestEnv>;
