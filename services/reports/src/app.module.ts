import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { ReportsConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: ReportsConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'reports', version, config })],
    };
  }
}
