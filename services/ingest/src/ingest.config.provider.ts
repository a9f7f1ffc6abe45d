import { type DynamicModule, Global, Module } from '@nestjs/common';

import type { IngestConfig } from './config';

/** Injection token of the service's parsed configuration. */
export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

@Global()
@Module({})
export class IngestConfigModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestConfigModule,
      providers: [{ provide: INGEST_CONFIG, useValue: config }],
      exports: [INGEST_CONFIG],
    };
  }
}
