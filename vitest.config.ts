import { defineConfig } from 'vitest/config';

// PGlite instances are expensive (≈0.7 s to clone a migrated template), so hooks get room,
// and the machine has two cores: keep the worker pool small.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    hookTimeout: 60_000,
    testTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
