export * from './environment';
export * from './expect-eventually';
