export * from './environment';
export * from './expect-eventually';
export * from './nats';
export * from './database';
export * from './tcp-proxy';
export * from './describe-service-boot';
export * from './service-process';
export * from './factories';
