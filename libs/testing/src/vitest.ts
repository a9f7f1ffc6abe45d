// Helpers that import vitest itself: a separate entry point, because the main one is also loaded by
// benchmarks and scripts that run outside vitest.
export * from './strict-mock';
