import type { Sample } from '@optralis/contracts/agent';

/** What one reporting cycle sends: the collectors' and plugins' samples, and the inventory when it changed. */
export interface CycleContent {
  metrics: Sample[];
  inventory?: Record<string, unknown>;
}

export interface ReportSource {
  next(): Promise<CycleContent>;
}
