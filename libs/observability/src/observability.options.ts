import type { DestinationStream } from 'pino';

export interface ObservabilityOptions {
  service: string;
  version: string;
  logLevel: string;
  /** Where JSON log lines go; stdout when absent. Tests pass a stream to read them back. */
  logDestination?: DestinationStream;
  /** Upper bound for each readiness check; 2000 ms when absent. */
  readinessTimeoutMs?: number;
  /**
   * Paths skipped by the access logger entirely (no per-request child logger either): intake routes
   * taking thousands of requests a second. Their rates, statuses and latencies are on /metrics.
   */
  quietRoutes?: string[];
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
