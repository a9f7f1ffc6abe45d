import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type HostEvent, metricsPartitionFilter, partitionOf, STREAMS } from '@optralis/contracts';
import { DatabaseService } from '@optralis/db';
import { deadLetter, NatsConnectionService } from '@optralis/nats';
import { PeriodicTask } from '@optralis/service-kit';

import { AlertBook } from '../alerts/alert-book';
import { AlertsRepository } from '../alerts/alerts.repository';
import { PartitionWrites } from '../alerts/partition-writes.service';
import { ALERTING_CONFIG } from '../alerting.config.provider';
import { type AlertingConfig, ownedPartitions } from '../config';
import { CheckpointRepository } from './checkpoint.repository';
import { EvaluationMetrics } from './evaluation.metrics';
import { HostOfflineEvents } from './host-offline-events';
import { OfflineEvaluator } from './offline.evaluator';
import { PartitionLeases } from './partition-leases';
import { PartitionRunner } from './partition.runner';
import { ReportEvaluator } from './report-evaluator';
import { RuleIndex } from './rule-index.service';

const FIRST_START_LOOKBACK_MS = 60_000;
const SHUTDOWN_FLUSH_MS = 10_000;

/**
 * Owns METRICS partitions through leases: for each one taken, restores its checkpoint and open alerts,
 * then reads it in order. Checkpoints every ALERTING_CHECKPOINT_SECONDS and sweeps host presence every second.
 */
@Injectable()
export class EvaluationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EvaluationService.name);
  private readonly runners = new Map<number, PartitionRunner>();
  private readonly leases: PartitionLeases;
  private readonly wanted: number[];
  private readonly instanceId = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly leaseTask = new PeriodicTask(
    'partition-leases',
    () => this.takeFreePartitions(),
    this.logger,
  );
  private readonly checkpointTask = new PeriodicTask('checkpoints', () => this.checkpointAll(), this.logger);
  private readonly sweepTask = new PeriodicTask('offline-sweep', () => this.sweep(), this.logger);
  private readonly hostEvents: HostOfflineEvents;

  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly nats: NatsConnectionService,
    private readonly database: DatabaseService,
    private readonly rules: RuleIndex,
    private readonly evaluator: ReportEvaluator,
    private readonly offline: OfflineEvaluator,
    private readonly checkpoints: CheckpointRepository,
    private readonly alerts: AlertsRepository,
    private readonly book: AlertBook,
    private readonly writes: PartitionWrites,
    private readonly metrics: EvaluationMetrics,
  ) {
    this.leases = new PartitionLeases(config.DATABASE_URL);
    this.wanted = ownedPartitions(config.ALERTING_PARTITIONS, config.METRICS_PARTITIONS);
    this.leases.whenLost(() => void this.stopAll());
    this.hostEvents = new HostOfflineEvents(nats, (event) => this.hostWentOffline(event));
  }

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      async () => {
        await this.rules.start();
        this.leaseTask.start(this.config.ALERTING_LEASE_RETRY_SECONDS * 1000, { immediately: true });
        this.checkpointTask.start(this.config.ALERTING_CHECKPOINT_SECONDS * 1000);
        this.sweepTask.start(1000);
        this.hostEvents.start();
      },
      () => undefined,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.leaseTask.stop(),
      this.sweepTask.stop(),
      this.checkpointTask.stop(),
      this.hostEvents.stop(),
    ]);
    const stopping = Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    // With Postgres away the writes never commit: give up after a while, the next owner replays them.
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      stopping.then(() => this.checkpointAll()).catch(() => undefined),
      new Promise((resolve) => (giveUp = setTimeout(resolve, SHUTDOWN_FLUSH_MS))),
    ]);
    clearTimeout(giveUp);
    for (const partition of this.runners.keys()) this.writes.close(partition);
    await stopping;
    this.runners.clear();
    await this.leases.release();
  }

  partitions(): number[] {
    return [...this.runners.keys()].sort((left, right) => left - right);
  }

  /**
   * Writes every partition's state now (tests, shutdown), each between two of its messages and only after
   * the alert changes decided so far are committed.
   */
  async checkpointAll(): Promise<void> {
    for (const runner of this.runners.values()) {
      await runner.exclusive(async () => {
        await this.writes.flush(runner.state.partition);
        await this.checkpoints.save(runner.state, this.instanceId);
      });
    }
    this.writes.prune();
    this.metrics.pendingAlertWrites.set(this.writes.pendingWrites());
    let tracked = 0;
    for (const runner of this.runners.values()) tracked += runner.state.trackedSeries();
    this.metrics.trackedSeries.set(tracked);
    for (const [severity, count] of Object.entries(this.book.countBySeverity())) {
      this.metrics.openAlerts.set({ severity }, count);
    }
  }

  private async takeFreePartitions(): Promise<void> {
    const taken = await this.leases.acquire(this.wanted);
    for (const partition of taken) {
      const state = await this.checkpoints.load(partition);
      this.book.dropPartition(partition);
      this.book.load(await this.alerts.openAlerts([partition]));
      await this.writes.open(partition, state.lastSeq);
      const runner = new PartitionRunner(state, {
        nats: this.nats,
        streamName: this.nats.namespace.streamName(STREAMS.METRICS.name),
        filterSubject: this.nats.namespace.subject(metricsPartitionFilter(partition)),
        firstStartLookbackMs: FIRST_START_LOOKBACK_MS,
        evaluate: async (partitionState, report, seq) => {
          this.metrics.reports.inc();
          await this.evaluator.evaluate(partitionState, report, seq);
        },
        deadLetter: async (message, reason) => {
          this.metrics.deadLettered.inc();
          await deadLetter({
            nats: this.nats,
            stream: STREAMS.METRICS,
            consumer: `alerting-p${partition}`,
            message,
            cause: 'invalid',
            reason,
          });
        },
      });
      this.runners.set(partition, runner);
      runner.start();
      this.logger.log({ partition, fromSeq: state.lastSeq + 1 }, 'partition taken');
    }
    this.metrics.ownedPartitions.set(this.runners.size);
  }

  private async stopAll(): Promise<void> {
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((runner) => runner.stop()));
    for (const runner of runners) {
      this.writes.close(runner.state.partition);
      this.book.dropPartition(runner.state.partition);
    }
    this.metrics.ownedPartitions.set(0);
  }

  private async hostWentOffline(event: HostEvent): Promise<void> {
    const runner = this.runners.get(partitionOf(event.hostId, this.config.METRICS_PARTITIONS));
    if (!runner) return;
    const known = await runner.exclusive(async () => this.offline.recordOfflineEvent(runner.state, event));
    if (known) this.metrics.hostOfflineEvents.inc();
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const runner of this.runners.values()) {
      await runner.exclusive(() =>
        this.offline.sweep(runner.state, (tenantId) => this.rules.of(tenantId)?.offline, now),
      );
    }
  }
}
