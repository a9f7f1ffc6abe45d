import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@optralis/observability';
import type { Counter, Gauge } from 'prom-client';

/** Evaluation's Prometheus metrics (detection latency lives with the deliveries, where it ends). */
@Injectable()
export class EvaluationMetrics {
  readonly reports: Counter;
  readonly evaluations: Counter;
  readonly skewedReports: Counter;
  readonly lateReports: Counter;
  readonly deadLettered: Counter;
  readonly trackedSeries: Gauge;
  readonly ownedPartitions: Gauge;
  readonly openAlerts: Gauge<'severity'>;
  readonly pendingAlertWrites: Gauge;
  readonly hostOfflineEvents: Counter;

  constructor(registry: MetricsRegistry) {
    this.reports = registry.counter({
      name: 'alerting_reports_evaluated_total',
      help: 'METRICS reports folded into evaluation state.',
    });
    this.evaluations = registry.counter({
      name: 'alerting_evaluations_total',
      help: 'Rule evaluations (one sample against one matching rule).',
    });
    this.skewedReports = registry.counter({
      name: 'alerting_skewed_reports_total',
      help: 'Reports whose time was too far from their receive time and were evaluated at the receive time.',
    });
    this.lateReports = registry.counter({
      name: 'alerting_late_reports_total',
      help: 'Reports older than their host’s newest one: stored by ingest, not allowed to move alert state.',
    });
    this.deadLettered = registry.counter({
      name: 'alerting_reports_dead_lettered_total',
      help: 'METRICS messages evaluation could not read, sent to deadletter.METRICS with the reason.',
    });
    this.trackedSeries = registry.gauge({
      name: 'alerting_tracked_series',
      help: 'Series with evaluation state (anomaly baselines and forecast windows) in this instance.',
    });
    this.ownedPartitions = registry.gauge({
      name: 'alerting_owned_partitions',
      help: 'METRICS partitions this instance holds the lease of.',
    });
    this.openAlerts = registry.gauge({
      name: 'alerting_open_alerts',
      help: 'Open alerts (pending, firing, acknowledged, suppressed) of the partitions this instance evaluates.',
      labelNames: ['severity'],
    });
    this.pendingAlertWrites = registry.gauge({
      name: 'alerting_pending_alert_writes',
      help: 'Alert changes decided by evaluation and not yet committed to Postgres.',
    });
    this.hostOfflineEvents = registry.counter({
      name: 'alerting_host_offline_events_total',
      help: 'Ingest offline events that told evaluation about a host it had not seen since.',
    });
  }
}
