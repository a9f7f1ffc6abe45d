import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { HttpInstrumentation } from './http.instrumentation';
import { loggerParams } from './logger.params';
import { MetricsRegistry } from './metrics.registry';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';
import { ReadinessRegistry } from './readiness.registry';

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggerModule.forRoot(loggerParams(options))],
      controllers: [HealthController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        MetricsRegistry,
        ReadinessRegistry,
        HttpInstrumentation,
      ],
      exports: [OBSERVABILITY_OPTIONS, MetricsRegistry, ReadinessRegistry],
    };
  }
}
