import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DatabaseService } from '@optralis/db';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { PartitionService } from './partition.service';
import { PeriodicTask } from '@optralis/service-kit';
import { type FoldResult, type PendingBatches, RollupRepository } from './rollup.repository';
import { SqlSessions, sqlState } from './sql-session.repository';
import { StorageMetrics } from './storage.metrics';

/** Write batches folded per transaction (a batch holds up to INGEST_WRITER_BATCH_SIZE reports). */
const BATCHES_PER_ROUND = 500;
/** A minute is folded once it is over and its stragglers had this long to arrive. */
const GRACE_SECONDS = 10;
/** Batches with rows ahead of the clock wait no longer than this. */
const MAX_WAIT_SECONDS = 120;
const LOCK = 'rollup';
const DAY_MS = 86_400_000;

export interface RollupRun extends FoldResult {
  batches: number;
  locked: boolean;
}

/**
 * Folds committed write batches into the 1 min and 1 h rollups, a minute at a time once it is over (see
 * RollupRepository.pending). Because each batch is folded exactly once
 * (its write_batches row goes in the same transaction) as deltas merged into what is there, late data and
 * batches committed out of order by several writers end up in the right buckets.
 */
@Injectable()
export class RollupService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RollupService.name);
  private readonly task = new PeriodicTask('rollup', () => this.foldPending(), this.logger);

  constructor(
    private readonly sessions: SqlSessions,
    private readonly repository: RollupRepository,
    private readonly partitions: PartitionService,
    private readonly database: DatabaseService,
    private readonly metrics: StorageMetrics,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(this.config.INGEST_ROLLUP_INTERVAL_SECONDS * 1000),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** Folds every batch that is due now (after any run in progress). */
  runOnce(): Promise<RollupRun> {
    return this.task.runNow();
  }

  private async foldPending(): Promise<RollupRun> {
    const total: RollupRun = { batches: 0, points: 0, minuteRows: 0, hourRows: 0, locked: true };
    for (;;) {
      const round = await this.round();
      if (!round.locked) return { ...total, locked: total.batches > 0 };
      total.batches += round.batches;
      total.points += round.points;
      total.minuteRows += round.minuteRows;
      total.hourRows += round.hourRows;
      if (round.batches < BATCHES_PER_ROUND) return total;
    }
  }

  private async round(retried = false): Promise<RollupRun> {
    const started = performance.now();
    let span: PendingBatches | undefined;
    try {
      const result = await this.sessions.lockedTransaction(LOCK, async (session) => {
        span = await this.repository.pending(session, {
          limit: BATCHES_PER_ROUND,
          graceSeconds: GRACE_SECONDS,
          maxWaitSeconds: MAX_WAIT_SECONDS,
        });
        if (!span) return { batches: 0, points: 0, minuteRows: 0, hourRows: 0 };
        const nowMs = Date.now();
        const folded = await this.repository.fold(session, {
          batches: span,
          hourly: !this.database.timescale.installed,
          minuteHorizon: new Date(nowMs - this.config.INGEST_RETENTION_1M_DAYS * DAY_MS),
          hourHorizon: new Date(nowMs - this.config.INGEST_RETENTION_1H_DAYS * DAY_MS),
        });
        return { batches: span.ids.length, ...folded };
      });
      if (!result.locked) return { batches: 0, points: 0, minuteRows: 0, hourRows: 0, locked: false };
      if (result.value.batches > 0) {
        const seconds = (performance.now() - started) / 1000;
        this.metrics.rollupDuration.observe(seconds);
        this.metrics.rollupPoints.inc(result.value.points);
        this.logger.debug({ ...result.value, seconds }, 'rollup round');
      }
      return { ...result.value, locked: true };
    } catch (error) {
      // A bucket outside every partition (data from before the partitions were created): make them, once.
      if (retried || sqlState(error) !== '23514' || !span) throw error;
      await this.partitions.ensureCovering(span.from.getTime(), span.to.getTime());
      return this.round(true);
    }
  }
}
