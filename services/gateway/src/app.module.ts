import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { GatewayConfig } from './config';
import { SystemModule } from './system/system.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'gateway', version, config }), SystemModule],
    };
  }
}
