import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MetricsReport } from '@optralis/contracts';
import { JetStreamPublisher, NatsConnectionService } from '@optralis/nats';
import { MetricsRegistry } from '@optralis/observability';
import type { Gauge, Histogram } from 'prom-client';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { IntakeError } from './intake.errors';

export interface PublishSummary {
  published: number;
  duplicates: number;
}

/**
 * Publishes normalised reports to METRICS and resolves only once JetStream has acked every one.
 * Concurrent requests pipeline naturally: each awaits its own acks while others are in flight.
 */
@Injectable()
export class ReportPublisher {
  private readonly logger = new Logger(ReportPublisher.name);
  private pendingReports = 0;
  private turn?: Promise<void>;
  private readonly pendingGauge: Gauge;
  private readonly publishSeconds: Histogram;

  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly nats: NatsConnectionService,
    metrics: MetricsRegistry,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {
    this.pendingGauge = metrics.gauge({
      name: 'ingest_pending_publishes',
      help: 'Reports sent to JetStream and not yet acknowledged.',
      collect: () => undefined,
    });
    this.publishSeconds = metrics.histogram({
      name: 'ingest_publish_duration_seconds',
      help: 'Time from publishing a request’s reports to the last JetStream ack.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  }

  /**
   * Resolves on the next event-loop turn together with every request that arrived in this one, so their
   * publishes reach the NATS socket in one write instead of one each (nats.js flushes per microtask).
   */
  private nextTurn(): Promise<void> {
    this.turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.turn = undefined;
        resolve();
      }),
    );
    return this.turn;
  }

  async publish(reports: MetricsReport[]): Promise<PublishSummary> {
    if (reports.length === 0) return { published: 0, duplicates: 0 };
    if (!this.nats.isConnected()) throw unavailable('the message stream is unreachable');
    if (this.pendingReports + reports.length > this.config.INGEST_MAX_PENDING_PUBLISHES) {
      throw new IntakeError(429, 'Too many requests', 'the intake is saturated; retry shortly', {
        retryAfterSeconds: 1,
      });
    }
    this.pendingReports += reports.length;
    this.pendingGauge.set(this.pendingReports);
    const stopTimer = this.publishSeconds.startTimer();
    try {
      await this.nextTurn();
      const acks = await this.publisher.publishMany(
        'metrics.report',
        reports.map((payload) => ({ payload, msgId: payload.id })),
        { validated: true, timeoutMs: this.config.INGEST_PUBLISH_TIMEOUT_MS },
      );
      stopTimer();
      return { published: acks.length, duplicates: acks.filter((ack) => ack.duplicate).length };
    } catch (error) {
      this.logger.warn({ error: (error as Error).message, reports: reports.length }, 'publish failed');
      throw unavailable('the message stream did not confirm the write');
    } finally {
      this.pendingReports -= reports.length;
      this.pendingGauge.set(this.pendingReports);
    }
  }
}

function unavailable(detail: string): IntakeError {
  return new IntakeError(503, 'Service unavailable', `${detail}; retry later`, { retryAfterSeconds: 5 });
}
