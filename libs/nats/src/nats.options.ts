import type { ServiceName } from '@optralis/contracts';

export interface NatsOptions {
  /** Comma-separated server URLs. */
  servers: string;
  service: ServiceName;
  /** Prefix of every subject and stream name; empty in production. */
  namespace?: string;
  partitions?: number;
  rpcTimeoutMs?: number;
}

export const NATS_OPTIONS = Symbol('NATS_OPTIONS');
