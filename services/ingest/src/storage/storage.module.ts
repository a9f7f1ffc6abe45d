import { type DynamicModule, Module } from '@nestjs/common';

import type { IngestConfig } from '../config';
import { EventOutboxRepository } from './event-outbox.repository';
import { EventRelayService } from './event-relay.service';
import { HostRegistryRepository } from './host-registry.repository';
import { HostRegistryService } from './host-registry.service';
import { HostStatusRepository } from './host-status.repository';
import { HostStatusService } from './host-status.service';
import { PartitionRepository } from './partition.repository';
import { PartitionService } from './partition.service';
import { RollupRepository } from './rollup.repository';
import { RollupService } from './rollup.service';
import { SampleWriterService } from './sample-writer.service';
import { SamplesRepository } from './samples.repository';
import { SeriesRepository } from './series.repository';
import { SeriesDictionaryService } from './series-dictionary.service';
import { SqlSessions } from './sql-session.repository';
import { StorageMetrics } from './storage.metrics';
import { createWriterConsumer } from './writer.consumer';
import { WriterProgress } from './writer-progress';

const services = [SampleWriterService, PartitionService, RollupService, EventRelayService, HostStatusService];

/** Metric storage: the writer (and its JetStream consumer unless INGEST_WRITER_ENABLED=false), rollups, retention, host status. Needs IngestConfigModule. */
@Module({})
export class StorageModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: StorageModule,
      controllers: config.INGEST_WRITER_ENABLED ? [createWriterConsumer(config)] : [],
      providers: [
        ...services,
        SqlSessions,
        StorageMetrics,
        WriterProgress,
        HostRegistryService,
        SeriesDictionaryService,
        HostRegistryRepository,
        HostStatusRepository,
        EventOutboxRepository,
        PartitionRepository,
        RollupRepository,
        SamplesRepository,
        SeriesRepository,
      ],
      exports: [...services, WriterProgress],
    };
  }
}
