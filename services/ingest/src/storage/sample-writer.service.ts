import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MetricsReport } from '@optralis/contracts';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { encodeSampleRows } from './copy-text';
import { EventOutboxRepository } from './event-outbox.repository';
import { EventRelayService } from './event-relay.service';
import { HostRegistryRepository } from './host-registry.repository';
import { HostRegistryService } from './host-registry.service';
import { PartitionService } from './partition.service';
import { SamplesRepository } from './samples.repository';
import { SeriesDictionaryService } from './series-dictionary.service';
import { SqlSessions, sqlState } from './sql-session.repository';
import { StorageMetrics } from './storage.metrics';
import { buildWritePlan, type WritePlan } from './write-plan';
import { WriterProgress } from './writer-progress';

export interface WriteSummary {
  reports: number;
  /** Samples stored now (a redelivered report's samples count as duplicates instead). */
  samplesStored: number;
  /** Samples refused: over the per-host series cap, or older than the raw retention. */
  samplesDropped: number;
  /** Samples of reports that were already stored (redelivery). */
  duplicates: number;
  newHosts: number;
  /** Host events written to the outbox. */
  events: number;
}

const DAY_MS = 86_400_000;
/** Deadlocks (40P01) are possible only when a host is registered concurrently; the whole batch is retried. */
const MAX_DEADLOCK_RETRIES = 3;
/** No partition for a row's time (23514): partitions are created for the batch's range and it is retried once. */
const NO_PARTITION = '23514';

/**
 * Writes a batch of reports in one transaction: host registry and its events, series dictionary, series
 * sets, then the rows through COPY into a staging table and one INSERT … ON CONFLICT DO NOTHING, so a
 * redelivered batch is stored once. Rejects (and commits nothing) when Postgres fails.
 */
@Injectable()
export class SampleWriterService {
  private readonly logger = new Logger(SampleWriterService.name);

  constructor(
    private readonly sessions: SqlSessions,
    private readonly hosts: HostRegistryService,
    private readonly registry: HostRegistryRepository,
    private readonly dictionary: SeriesDictionaryService,
    private readonly samples: SamplesRepository,
    private readonly outbox: EventOutboxRepository,
    private readonly partitions: PartitionService,
    private readonly relay: EventRelayService,
    private readonly progress: WriterProgress,
    private readonly metrics: StorageMetrics,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async write(reports: MetricsReport[]): Promise<WriteSummary> {
    const started = performance.now();
    const plan = buildWritePlan(reports, {
      oldestAllowedMs: Date.now() - this.config.INGEST_RETENTION_RAW_DAYS * DAY_MS,
    });
    if (plan.hosts.length === 0) {
      return { reports: 0, samplesStored: 0, samplesDropped: 0, duplicates: 0, newHosts: 0, events: 0 };
    }
    const summary = await this.writeWithRetries(plan);
    const committedMs = Date.now();
    this.observe(plan, summary, { committedMs, seconds: (performance.now() - started) / 1000 });
    if (summary.events > 0) this.relay.wake();
    return summary;
  }

  private async writeWithRetries(plan: WritePlan): Promise<WriteSummary> {
    let partitionsEnsured = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(plan);
      } catch (error) {
        const state = sqlState(error);
        if (state === NO_PARTITION && !partitionsEnsured && plan.rows.length > 0) {
          partitionsEnsured = true;
          await this.partitions.ensureCovering(plan.minTimeMs, plan.maxTimeMs);
          continue;
        }
        if (state === '40P01' && attempt <= MAX_DEADLOCK_RETRIES) {
          this.logger.warn({ attempt }, 'write batch deadlocked, retrying');
          continue;
        }
        throw error;
      }
    }
  }

  private async writeOnce(plan: WritePlan): Promise<WriteSummary> {
    let remember = () => {};
    const summary = await this.sessions.transaction(async (session) => {
      const hosts = await this.hosts.register(session, plan.hosts);
      const events = await this.outbox.add(session, hosts.events);
      const resolved = await this.dictionary.resolve(session, plan, hosts);
      await this.registry.countSeries(session, resolved.counts);
      remember = resolved.remember;
      let stored = { rows: 0, samples: 0 };
      if (resolved.rows.length > 0) {
        await this.samples.stage(session, encodeSampleRows(resolved.rows));
        stored = await this.samples.store(session);
      }
      const offered = resolved.rows.reduce((sum, row) => sum + row.values.length, 0);
      return {
        reports: plan.reports,
        samplesStored: stored.samples,
        samplesDropped: resolved.dropped + plan.tooOld,
        duplicates: offered - stored.samples,
        newHosts: hosts.newHosts,
        events,
        capDropped: resolved.dropped,
      };
    });
    remember();
    const { capDropped, ...result } = summary;
    if (capDropped > 0) this.metrics.samplesDropped.inc({ reason: 'series_cap' }, capDropped);
    if (capDropped > 0) this.metrics.seriesDropped.inc(capDropped);
    return result;
  }

  private observe(
    plan: WritePlan,
    summary: WriteSummary,
    input: { committedMs: number; seconds: number },
  ): void {
    this.metrics.batchDuration.observe(input.seconds);
    this.metrics.samplesWritten.inc(summary.samplesStored);
    if (plan.tooOld > 0) this.metrics.samplesDropped.inc({ reason: 'too_old' }, plan.tooOld);
    let newestReceivedMs = -Infinity;
    for (const row of plan.rows) {
      this.metrics.endToEndLag.observe(Math.max(0, (input.committedMs - row.receivedAtMs) / 1000));
      this.metrics.reportAge.observe(Math.max(0, (input.committedMs - row.timeMs) / 1000));
    }
    for (const host of plan.hosts) newestReceivedMs = Math.max(newestReceivedMs, host.lastReceivedAt);
    this.progress.record(Math.max(0, (input.committedMs - newestReceivedMs) / 1000), input.committedMs);
  }
}
