import type { Logger } from '../reporting/logger';
import type { EncodedBody } from '../transport/encoded-body';
import type { WriteAt } from './spool-segment';

/** Just after a record: acknowledging it acknowledges everything before it. */
export interface SpoolPosition {
  segment: number;
  offset: number;
  /** Records of the segment up to and including this one. */
  ordinal: number;
}

export interface SpoolOptions {
  directory: string;
  /** Total size of the segment files; the oldest segment is dropped to stay under it. Default 500 MiB. */
  maxBytes?: number;
  /** Records older than this are dropped. Default 7 days. */
  maxAgeMs?: number;
  /** A segment is closed once it reaches this size. Default 8 MiB, at most a quarter of maxBytes. */
  segmentBytes?: number;
  /** Wall clock, epoch milliseconds. */
  now?: () => number;
  logger?: Logger;
  writeAt?: WriteAt;
}

export interface SpooledRecord {
  /** The request body as it was appended, to be sent as it is. */
  body: EncodedBody;
  time: number;
  position: SpoolPosition;
}

export type AppendOutcome = 'stored' | 'dropped';

export const SPOOL_DEFAULTS = {
  maxBytes: 500 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600 * 1000,
  segmentBytes: 8 * 1024 * 1024,
} as const;
