import { type DynamicModule, Module } from '@nestjs/common';

import type { IngestConfig } from '../config';
import { HostsModule } from '../hosts/hosts.module';
import { MetricsQueryRepository } from './metrics-query.repository';
import { MetricsQueryService } from './metrics-query.service';
import { MetricsRpc } from './metrics.rpc';
import { QUERY_SETTINGS, querySettings } from './query-settings';

/** Metric range, latest and export queries with their `rpc.ingest.metrics.*` / `export.*` handlers. */
@Module({})
export class QueriesModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: QueriesModule,
      imports: [HostsModule],
      controllers: [MetricsRpc],
      providers: [
        { provide: QUERY_SETTINGS, useValue: querySettings(config) },
        MetricsQueryRepository,
        MetricsQueryService,
      ],
      exports: [MetricsQueryService],
    };
  }
}
