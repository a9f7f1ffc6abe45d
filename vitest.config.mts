import { defineConfig } from 'vitest/config';

// One vitest run for the whole repository (`npm test`): every lib and service is a project with
// its own vitest.config.mts (projectConfig in vitest.shared.mts); two workers in all, because the
// integration tests share one NATS and one Postgres.
export default defineConfig({
  test: {
    projects: [
      'libs/*/vitest.config.mts',
      'services/*/vitest.config.mts',
      'agent/vitest.config.mts',
      'tests/*/vitest.config.mts',
    ],
    maxWorkers: 2,
  },
});
