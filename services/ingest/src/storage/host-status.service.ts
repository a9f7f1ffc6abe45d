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
import { EventRelayService } from './event-relay.service';
import { HostStatusRepository } from './host-status.repository';
import { PeriodicTask } from '@optralis/service-kit';
import { SqlSessions } from './sql-session.repository';
import { StorageMetrics } from './storage.metrics';
import { WriterProgress } from './writer-progress';

/** A writer further behind than this is working through a backlog: its hosts are not silent, just late. */
export const MAX_WRITER_LAG_SECONDS = 5;
const LOCK = 'host-status';

export type SweepResult =
  | { kind: 'swept'; offline: number; events: number }
  | { kind: 'skipped'; reason: 'writer-behind' | 'locked' };

/** Marks hosts offline once they missed INGEST_OFFLINE_MISSED_INTERVALS of their own report intervals. */
@Injectable()
export class HostStatusService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HostStatusService.name);
  private readonly task = new PeriodicTask('host-status', () => this.sweep(), this.logger);

  constructor(
    private readonly sessions: SqlSessions,
    private readonly repository: HostStatusRepository,
    private readonly progress: WriterProgress,
    private readonly relay: EventRelayService,
    private readonly database: DatabaseService,
    private readonly metrics: StorageMetrics,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => this.task.start(this.config.INGEST_STATUS_SWEEP_SECONDS * 1000),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One sweep now (after any in progress). */
  runOnce(): Promise<SweepResult> {
    return this.task.runNow();
  }

  private async sweep(): Promise<SweepResult> {
    if (this.progress.isBehind(MAX_WRITER_LAG_SECONDS)) {
      this.logger.debug({ lagSeconds: this.progress.lastLagSeconds }, 'offline sweep skipped: writer behind');
      return { kind: 'skipped', reason: 'writer-behind' };
    }
    const result = await this.sessions.lockedTransaction(LOCK, (session) =>
      this.repository.markStaleOffline(session, this.config.INGEST_OFFLINE_MISSED_INTERVALS),
    );
    if (!result.locked) return { kind: 'skipped', reason: 'locked' };
    const { offline, events } = result.value;
    if (offline > 0) {
      this.metrics.hostsOffline.inc(offline);
      this.logger.log({ offline }, 'hosts marked offline');
    }
    if (events > 0) this.relay.wake();
    return { kind: 'swept', offline, events };
  }
}
