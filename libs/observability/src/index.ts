export * from './configure-http';
export * from './health.controller';
export * from './metrics.registry';
export * from './observability.module';
export * from './observability.options';
export * from './readiness.registry';
export * from './trace-context';
