import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { IngestConfig } from './config';
import { HostsModule } from './hosts/hosts.module';
import { IngestConfigModule } from './ingest.config.provider';
import { INTAKE_ROUTES } from './intake/intake.controller';
import { IntakeModule } from './intake/intake.module';
import { ingestMigrations } from './migrations';
import { QueriesModule } from './queries/queries.module';
import { StatusModule } from './status/status.module';
import { StorageModule } from './storage/storage.module';

@Module({})
export class AppModule {
  static forRoot(config: IngestConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'ingest',
          version,
          config,
          migrations: ingestMigrations,
          quietRoutes: INTAKE_ROUTES,
        }),
        IngestConfigModule.forRoot(config),
        IntakeModule,
        StorageModule.forRoot(config),
        HostsModule,
        QueriesModule.forRoot(config),
        StatusModule,
      ],
    };
  }
}
