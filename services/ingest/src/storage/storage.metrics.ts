import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@optralis/observability';
import type { Counter, Histogram } from 'prom-client';

/** Fine enough for a p99 anywhere between 10 ms and 10 s. */
const LAG_BUCKETS = [
  0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 20, 30, 60,
  300,
];
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The storage side's Prometheus metrics, registered once on the service registry. */
@Injectable()
export class StorageMetrics {
  readonly samplesWritten: Counter;
  readonly samplesDropped: Counter<'reason'>;
  readonly seriesDropped: Counter;
  readonly batchDuration: Histogram;
  /** `receivedAt` → commit. */
  readonly endToEndLag: Histogram;
  /** Report `time` → commit. */
  readonly reportAge: Histogram;
  readonly rollupDuration: Histogram;
  readonly rollupPoints: Counter;
  readonly eventsPublished: Counter;
  readonly eventFailures: Counter;
  readonly hostsOffline: Counter;

  constructor(registry: MetricsRegistry) {
    this.samplesWritten = registry.counter({
      name: 'ingest_samples_written_total',
      help: 'Samples stored in ingest.samples (redelivered duplicates excluded).',
    });
    this.samplesDropped = registry.counter({
      name: 'ingest_samples_dropped_total',
      help: 'Samples not stored, by reason (series_cap, too_old).',
      labelNames: ['reason'],
    });
    this.seriesDropped = registry.counter({
      name: 'ingest_series_dropped_total',
      help: 'New series refused because their host reached INGEST_MAX_SERIES_PER_HOST.',
    });
    this.batchDuration = registry.histogram({
      name: 'ingest_write_batch_duration_seconds',
      help: 'Duration of one write batch transaction, from plan to commit.',
      buckets: DURATION_BUCKETS,
    });
    this.endToEndLag = registry.histogram({
      name: 'ingest_end_to_end_lag_seconds',
      help: 'From a report being received by intake to its samples being committed.',
      buckets: LAG_BUCKETS,
    });
    this.reportAge = registry.histogram({
      name: 'ingest_report_age_at_commit_seconds',
      help: 'From a report time (as measured by its sender) to its samples being committed.',
      buckets: LAG_BUCKETS,
    });
    this.rollupDuration = registry.histogram({
      name: 'ingest_rollup_duration_seconds',
      help: 'Duration of one rollup run folding committed batches into rollup_1m and rollup_1h.',
      buckets: DURATION_BUCKETS,
    });
    this.rollupPoints = registry.counter({
      name: 'ingest_rollup_points_total',
      help: 'Samples folded into the rollups.',
    });
    this.eventsPublished = registry.counter({
      name: 'ingest_host_events_published_total',
      help: 'Host events relayed from the outbox to the EVENTS stream.',
    });
    this.eventFailures = registry.counter({
      name: 'ingest_host_event_publish_failures_total',
      help: 'Outbox relay runs that failed to publish and will retry.',
    });
    this.hostsOffline = registry.counter({
      name: 'ingest_hosts_marked_offline_total',
      help: 'Hosts the status sweep marked offline.',
    });
  }
}
