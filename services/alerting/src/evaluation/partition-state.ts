import type { EwmaState } from './detectors/ewma';
import type { ForecastState } from './detectors/forecast';

export interface HostPresence {
  tenantId: string;
  hostId: string;
  hostName: string;
  tags: string[];
  /** Ingest's receive time of the newest report: wall-clock, so a replay gives the same answer. */
  lastSeenAt: number;
  /** Newest report time (skew-corrected): older reports are late and do not move alert state. */
  lastReportTime: number;
  intervalSeconds: number;
}

const SEPARATOR = '\u0000';

export const baselineKey = (tenantId: string, hostId: string, alpha: number, series: string) =>
  `${tenantId}${SEPARATOR}${hostId}${SEPARATOR}${alpha}${SEPARATOR}${series}`;
export const forecastKey = (tenantId: string, ruleId: string, hostId: string, series: string) =>
  `${tenantId}${SEPARATOR}${ruleId}${SEPARATOR}${hostId}${SEPARATOR}${series}`;
export const hostKey = (tenantId: string, hostId: string) => `${tenantId}${SEPARATOR}${hostId}`;
export const splitKey = (key: string) => key.split(SEPARATOR);

/** Everything one partition's evaluation remembers between samples; checkpointed with `lastSeq`. */
export class PartitionState {
  readonly baselines = new Map<string, EwmaState>();
  readonly forecasts = new Map<string, ForecastState>();
  readonly hosts = new Map<string, HostPresence>();
  /**
   * Unconfirmed or ongoing anomaly streaks by tenant and dedup key (only non-zero ones). Not checkpointed:
   * after a restart a deviation is confirmed again, one sample later at worst.
   */
  readonly anomalyStreaks = new Map<string, number>();
  readonly dirtyBaselines = new Set<string>();
  readonly dirtyForecasts = new Set<string>();
  readonly dirtyHosts = new Set<string>();
  /** Stream sequence of the last message folded into this state (0: none). */
  lastSeq = 0;

  constructor(readonly partition: number) {}

  trackedSeries(): number {
    return this.baselines.size + this.forecasts.size;
  }
}
