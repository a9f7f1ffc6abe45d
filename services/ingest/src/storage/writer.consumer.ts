import { Controller, Logger, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { MetricsReport } from '@optralis/contracts';
import { describeError } from '@optralis/db';
import { type BatchItem, JetStreamBatchHandler, type Outcome, Outcomes } from '@optralis/nats';

import type { IngestConfig } from '../config';
import { SampleWriterService } from './sample-writer.service';

export const WRITER_DURABLE = 'ingest-writer';
/**
 * Deliveries before a report is dead-lettered. With the 10 s backoff ceiling this rides out hours of
 * Postgres outage; a crashed writer's batch comes back after the 15 s ack deadline (kept alive while writing).
 */
const WRITER_MAX_DELIVER = 2000;
const WRITER_ACK_WAIT_MS = 15_000;
const WRITER_BACKOFF_MAX_MS = 10_000;

/**
 * `metrics.report` → Postgres, in batches. The batch size and concurrency come from the configuration, so
 * the class is built per module instance (decorators need them at definition time).
 */
export function createWriterConsumer(config: IngestConfig): Type<unknown> {
  @Controller()
  class WriterConsumer {
    readonly logger = new Logger(WRITER_DURABLE);

    constructor(readonly writer: SampleWriterService) {}

    @JetStreamBatchHandler('metrics.report', {
      durable: WRITER_DURABLE,
      batchSize: config.INGEST_WRITER_BATCH_SIZE,
      maxWaitMs: config.INGEST_WRITER_BATCH_WAIT_MS,
      concurrency: config.INGEST_WRITER_CONCURRENCY,
      maxInFlight: config.INGEST_WRITER_BATCH_SIZE * (config.INGEST_WRITER_CONCURRENCY + 1),
      maxDeliver: WRITER_MAX_DELIVER,
      ackWaitMs: WRITER_ACK_WAIT_MS,
      backoffMaxMs: WRITER_BACKOFF_MAX_MS,
    })
    async write(@Payload() items: BatchItem<MetricsReport>[]): Promise<Outcome> {
      try {
        await this.writer.write(items.map((item) => item.payload));
        return Outcomes.done();
      } catch (error) {
        const reason = describeError(error);
        this.logger.warn({ reports: items.length, reason }, 'write batch failed, will be redelivered');
        return Outcomes.retry(reason);
      }
    }
  }
  return WriterConsumer;
}
