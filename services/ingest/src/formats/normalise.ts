import type { MetricsReport } from '@optralis/contracts';

export interface NormaliseContext {
  tenantId: string;
  /** Also "now" for the time bounds. */
  receivedAt: Date;
  /** INGEST_MAX_FUTURE_SECONDS. */
  maxFutureSeconds: number;
  /** Raw retention: older timestamps are refused. */
  retentionSeconds: number;
  /** Largest remote-write body once snappy is undone (INGEST_MAX_DECOMPRESSED_BYTES; 64 MiB when absent). */
  maxDecompressedBytes?: number;
}

/** Values left out of the reports: counted for the intake metrics, never an error. */
export interface Dropped {
  /** NaN, ±Inf (Prometheus stale markers included) and OTLP points flagged "no recorded value". */
  nonFinite: number;
  /** Metric names still invalid once sanitised (empty, too long), and over-long inventory keys. */
  invalidName: number;
  /** Data the model has no place for: Prometheus native histograms. */
  unsupported: number;
}

export interface NormalisedRequest {
  /** Each valid against the MetricsReport schema; `report.id` is also its Nats-Msg-Id. */
  reports: MetricsReport[];
  dropped: Dropped;
}

export function noneDropped(): Dropped {
  return { nonFinite: 0, invalidName: 0, unsupported: 0 };
}
