import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { AlertingConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: AlertingConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'alerting', version, config })],
    };
  }
}
