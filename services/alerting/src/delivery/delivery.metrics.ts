import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@optralis/observability';
import type { Counter, Histogram } from 'prom-client';

/** From 50 ms to a minute: the target is seconds, the tail shows trouble. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60];
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type DeliveryOutcome = 'delivered' | 'retried' | 'failed' | 'skipped' | 'deferred';

/** The notification side's Prometheus metrics, registered once on the service registry. */
@Injectable()
export class DeliveryMetrics {
  readonly detectionLatency: Histogram;
  readonly deliveries: Counter<'channel_type' | 'outcome'>;
  readonly duration: Histogram<'channel_type'>;

  constructor(registry: MetricsRegistry) {
    this.detectionLatency = registry.histogram({
      name: 'alerting_detection_latency_seconds',
      help: 'From the sample that fired an alert to its notification being handed to the channel (first attempt).',
      buckets: LATENCY_BUCKETS,
    });
    this.deliveries = registry.counter({
      name: 'alerting_deliveries_total',
      help: 'Delivery attempts by channel type and outcome (delivered, retried, failed, skipped, deferred).',
      labelNames: ['channel_type', 'outcome'],
    });
    this.duration = registry.histogram({
      name: 'alerting_delivery_duration_seconds',
      help: 'Duration of one send to a channel, answer or timeout included.',
      labelNames: ['channel_type'],
      buckets: DURATION_BUCKETS,
    });
  }
}
