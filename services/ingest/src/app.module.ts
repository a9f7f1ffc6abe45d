import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { IngestConfig } from './config';
import { IngestConfigModule } from './ingest.config.provider';
import { IntakeModule } from './intake/intake.module';
import { ingestMigrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: IngestConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'ingest', version, config, migrations: ingestMigrations }),
        IngestConfigModule.forRoot(config),
        IntakeModule,
      ],
    };
  }
}
