/** Why a report left the spool without being delivered. */
export type DropReason = 'size' | 'age' | 'corrupt' | 'write';

export interface SpoolStats {
  pendingReports: number;
  /** Size of the segment files on disk. */
  bytes: number;
  /** Record time (epoch ms) of the oldest undelivered report. */
  oldestRecordTime: number | undefined;
  /** Reports dropped since the spool was opened, all reasons together. */
  droppedReports: number;
  droppedBy: Record<DropReason, number>;
}

export class SpoolCounters {
  private readonly dropped: Record<DropReason, number> = { size: 0, age: 0, corrupt: 0, write: 0 };

  drop(reason: DropReason, count: number): void {
    this.dropped[reason] += count;
  }

  stats(current: Pick<SpoolStats, 'pendingReports' | 'bytes' | 'oldestRecordTime'>): SpoolStats {
    const droppedReports = Object.values(this.dropped).reduce((sum, count) => sum + count, 0);
    return { ...current, droppedReports, droppedBy: { ...this.dropped } };
  }
}
