import { Injectable } from '@nestjs/common';

/** A lag older than this says nothing about the writer any more (nothing may have arrived since). */
const STALE_AFTER_MS = 60_000;

/** How far behind the writer's last committed batch was; the offline sweep waits while it is behind. */
@Injectable()
export class WriterProgress {
  private lagSeconds = 0;
  private recordedAt = 0;

  /** Lag of a committed batch: commit time minus the newest `receivedAt` in it. */
  record(lagSeconds: number, nowMs = Date.now()): void {
    this.lagSeconds = lagSeconds;
    this.recordedAt = nowMs;
  }

  isBehind(thresholdSeconds: number, nowMs = Date.now()): boolean {
    return nowMs - this.recordedAt <= STALE_AFTER_MS && this.lagSeconds > thresholdSeconds;
  }

  get lastLagSeconds(): number {
    return this.lagSeconds;
  }
}
