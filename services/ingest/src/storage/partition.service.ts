import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DatabaseService, describeError } from '@optralis/db';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import {
  expiredPartitions,
  PARTITIONED_TABLES,
  type PartitionedTable,
  type PartitionRange,
  partitionsCovering,
  wantedPartitions,
} from './partition-plan';
import { PartitionRepository } from './partition.repository';
import { PeriodicTask } from '@optralis/service-kit';
import { type SqlSession, SqlSessions, sqlState } from './sql-session.repository';

const MAINTENANCE_INTERVAL_MS = 60 * 60_000;
const LOCK = 'partitions';
/** "would overlap partition": the range is already covered by a partition of another name. */
const INVALID_OBJECT_DEFINITION = '42P17';

export interface PartitionMaintenance {
  created: string[];
  dropped: string[];
}

/**
 * Plain PostgreSQL: keeps daily partitions of samples and rollup_1m and monthly ones of rollup_1h from the
 * retention horizon to two days ahead, and drops those past their retention. TimescaleDB: retention
 * policies instead (not exercised by the tests: no timescaledb on the test machines).
 */
@Injectable()
export class PartitionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PartitionService.name);
  private readonly task = new PeriodicTask('partitions', () => this.maintain(), this.logger);

  constructor(
    private readonly sessions: SqlSessions,
    private readonly repository: PartitionRepository,
    private readonly database: DatabaseService,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(MAINTENANCE_INTERVAL_MS, { immediately: true }),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One maintenance pass after any in progress in this process; `undefined` when another instance held the lock. */
  runOnce(nowMs = Date.now()): Promise<PartitionMaintenance | undefined> {
    return this.task.runNow(() => this.maintain(nowMs));
  }

  /** One maintenance pass; `undefined` when another instance holds the lock. */
  async maintain(nowMs = Date.now()): Promise<PartitionMaintenance | undefined> {
    const result = await this.sessions.withSessionLock(LOCK, async (session) => {
      const done: PartitionMaintenance = { created: [], dropped: [] };
      if (this.database.timescale.installed) {
        for (const table of PARTITIONED_TABLES) {
          await this.repository.ensureRetentionPolicy(session, table.table, this.retentionDays(table));
        }
        return done;
      }
      for (const spec of PARTITIONED_TABLES) {
        const existing = new Set(await this.repository.list(session, spec.table));
        for (const range of wantedPartitions(spec, nowMs, this.retentionDays(spec))) {
          if (existing.has(range.name)) continue;
          if (await this.create(session, range)) done.created.push(range.name);
        }
        for (const name of expiredPartitions(spec, [...existing], nowMs, this.retentionDays(spec))) {
          await this.repository.drop(session, name);
          done.dropped.push(name);
        }
      }
      if (done.created.length + done.dropped.length > 0) this.logger.log(done, 'partitions maintained');
      return done;
    });
    return result.locked ? result.value : undefined;
  }

  /** Creates whatever partitions a time range needs in every table (waits for a maintenance pass in progress). */
  async ensureCovering(fromMs: number, toMs: number): Promise<string[]> {
    if (this.database.timescale.installed) return [];
    const result = await this.sessions.withSessionLock(
      LOCK,
      async (session) => {
        const created: string[] = [];
        for (const spec of PARTITIONED_TABLES) {
          const existing = new Set(await this.repository.list(session, spec.table));
          for (const range of partitionsCovering(spec, fromMs, toMs)) {
            if (existing.has(range.name)) continue;
            if (await this.create(session, range)) created.push(range.name);
          }
        }
        if (created.length > 0) this.logger.warn({ created }, 'partitions created on demand');
        return created;
      },
      { wait: true },
    );
    return result.locked ? result.value : [];
  }

  /** False when a partition by another name already covers the range (created by hand or by a test seed). */
  private async create(session: SqlSession, range: PartitionRange): Promise<boolean> {
    try {
      await this.repository.create(session, range);
      return true;
    } catch (error) {
      if (sqlState(error) !== INVALID_OBJECT_DEFINITION) throw error;
      this.logger.warn(
        { partition: range.name, reason: describeError(error) },
        'partition range already covered',
      );
      return false;
    }
  }

  private retentionDays(spec: PartitionedTable): number {
    if (spec.table === 'samples') return this.config.INGEST_RETENTION_RAW_DAYS;
    return spec.table === 'rollup_1m'
      ? this.config.INGEST_RETENTION_1M_DAYS
      : this.config.INGEST_RETENTION_1H_DAYS;
  }
}
