import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.js';
import { PROCESS_FLAGS } from './test/support/process-flags.js';

/**
 * Tests of pure code: no database, no server, no process, no environment, spies or fake timers, nothing
 * written to disk. They need none of the run's data folders (no global setup), so they start at once, and
 * run in threads on every Node version. A file joins this list only if it keeps to that
 * (test/config/pure-tests.test.ts).
 */
const PURE = [
  'test/commands/**/*.test.ts',
  'test/config/environment.test.ts',
  'test/domain/**/*.test.ts',
  'test/inventory/**/*.test.ts',
  'test/text/**/*.test.ts',
  'test/app/history-text.test.ts',
  'test/app/journey.test.ts',
  'test/app/reader.test.ts',
  'test/app/reference-file.test.ts',
  'test/i18n/catalogs.test.ts',
  'test/i18n/domain-messages.test.ts',
  'test/i18n/duration.test.ts',
  'test/i18n/glossary.test.ts',
  'test/i18n/keys-used.test.ts',
  'test/i18n/params-given.test.ts',
  'test/i18n/slack-labels.test.ts',
  'test/schedule/local-time.test.ts',
  'test/schedule/policy.test.ts',
  'test/schedule/reminder-schedule.test.ts',
  'test/schedule/texts.test.ts',
  'test/teams/inbound-auth.test.ts',
  'test/teams/text-cleaning.test.ts',
];

/**
 * Files that need a process of their own, started fresh: what they test depends on the order libraries
 * first load in a process (channel-and-files: Bolt before botbuilder, as in a bot that serves both).
 */
const OWN_PROCESS = ['test/teams/channel-and-files.test.ts'];

const globalSetup = ['test/support/global-setup.ts'];

/**
 * Every other file shares its worker with the files that ran there before it (isolate: false): each
 * library and module is loaded once per worker, not once per file (a fresh module graph per file cost
 * 145 s of loading summed over a run, 30 s shared). What a file could leave to the next — fake timers,
 * the environment, the working folder, process listeners — is checked at its end
 * (test/support/leave-no-trace.ts); databases, servers and folders each file closes and removes itself.
 * Workers are processes (forks), started after the global setup: the files that call the identity
 * provider stand-in over HTTPS need its certificate, which Node trusts only through NODE_EXTRA_CA_CERTS,
 * read once when a process starts (threads would share the runner's process, started before it). And on
 * Node 24 a pass in threads once died of SIGSEGV with every test passing, as newer V8 keeps one registry
 * of WebAssembly code for all the threads of a process, and threads compiling and freeing the embedded
 * database's code side by side are known to crash it.
 */

// Every test database is a copy of one migrated template made per run (test/support/global-setup.ts):
// ≈0.7 s of CPU to copy and open, against ≈1.7 s to load a dump into memory and more to make one from
// the blank database and migrate it (the figures are in that file). Hooks still get room for a machine
// shared with others. Three workers on two cores, shared by the three groups: several files wait on
// purpose (outages, retries, a started bot), and a third worker uses the core they leave idle (on two
// cores: 174 → 160 s, idle CPU 47 → 15 s). The workers run the embedded engine's WebAssembly as the
// processes under test do, compiled by V8's baseline compiler only (test/support/process-flags.ts).
export default defineConfig({
  test: {
    hookTimeout: 60_000,
    testTimeout: 30_000,
    maxWorkers: 3,
    // A fresh clone has no record of how long each file took: the longest start first all the same.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: { name: 'pure', include: PURE, pool: 'threads', isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...PURE, ...OWN_PROCESS],
          pool: 'forks',
          isolate: false,
          setupFiles: ['test/support/leave-no-trace.ts'],
          globalSetup,
          execArgv: PROCESS_FLAGS,
        },
      },
      {
        extends: true,
        test: {
          name: 'own-process',
          include: OWN_PROCESS,
          pool: 'forks',
          isolate: true,
          globalSetup,
          execArgv: PROCESS_FLAGS,
        },
      },
    ],
  },
});
