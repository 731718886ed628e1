import { defineConfig } from 'vitest/config';

// Every test database is a copy of one migrated template made per run (test/support/global-setup.ts):
// ≈0.7 s of CPU to copy and open, against ≈1.7 s to load a dump into memory and ≈8 s to create and
// migrate one. Hooks still get room for a machine shared with others. Two cores: two workers, each test file in a process of its own (forks),
// so a file's environment, spies and open handles never reach another file.
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
