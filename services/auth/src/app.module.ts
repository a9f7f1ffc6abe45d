import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { AuthConfig } from './config';
import { authMigrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'auth', version, config, migrations: authMigrations })],
    };
  }
}
