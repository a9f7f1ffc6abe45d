import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@optralis/service-kit';

import type { AiConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: AiConfig, version: string): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'ai', version, config })],
    };
  }
}
