import { type DynamicModule, Global, Module } from '@nestjs/common';

import type { AlertingConfig } from './config';

/** Injection token of the service's parsed configuration. */
export const ALERTING_CONFIG = Symbol('ALERTING_CONFIG');

@Global()
@Module({})
export class AlertingConfigModule {
  static forRoot(config: AlertingConfig): DynamicModule {
    return {
      module: AlertingConfigModule,
      providers: [{ provide: ALERTING_CONFIG, useValue: config }],
      exports: [ALERTING_CONFIG],
    };
  }
}
