import type { DestinationStream } from 'pino';

export interface ObservabilityOptions {
  service: string;
  version: string;
  logLevel: string;
  /** Where JSON log lines go; stdout when absent. Tests pass a stream to read them back. */
  logDestination?: DestinationStream;
  /** Upper bound for each readiness check; 2000 ms when absent. */
  readinessTimeoutMs?: number;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
