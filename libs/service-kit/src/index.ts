export * from './platform.module';
export * from './run-service';
export * from './service-identity';
export * from './service-instances.migration';
export * from './secrets';
export * from './periodic-task';
export * from './verified-token.cache';
