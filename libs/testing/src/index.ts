export * from './environment';
export * from './expect-eventually';
export * from './nats';
export * from './database';
export * from './tcp-proxy';
