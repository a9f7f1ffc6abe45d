import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC keeps Nest's decorator metadata, which esbuild drops.
export function projectConfig(name: string) {
  return defineConfig({
    oxc: false,
    plugins: [
      swc.vite({
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'es6' },
      }),
    ],
    test: {
      name,
      globals: true,
      include: ['src/**/*.spec.ts', 'src/**/*.int-spec.ts', 'test/**/*.int-spec.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      fileParallelism: true,
      maxWorkers: 2,
    },
  });
}
