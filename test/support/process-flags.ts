import { setFlagsFromString } from 'node:v8';

/**
 * Node's flags for the processes a test run starts, its own workers and the command lines under test:
 * WebAssembly compiled by V8's baseline compiler only. By default V8 also compiles the embedded engine's
 * hot functions again with its optimizing compiler, on background threads. For a process under test,
 * which opens the embedded database, runs a few statements and ends, that costs about as much CPU as
 * everything else it does (a `migrate` on a migrated folder: 2.2 → 1.2 s). In the test workers, which run
 * for the whole suite, it did not pay back either: the reminder, flow and delivery race files on the
 * embedded database alone took 25–29 CPU-s without it and 19–22 with it on Node 20 (20 and 16–17 on
 * Node 24), and whole runs with a PostgreSQL server, in turn, 117.1 and 106.8 s without it against 98.9
 * and 99.0 s with it (2 cores, 2026-12-06). What the code does, and so what the tests check, is the same;
 * the bot as users run it keeps V8's defaults.
 */
export const PROCESS_FLAGS = ['--liftoff-only'];

/**
 * Gives this process the same flags once it runs: for the test runner, which vitest starts before any
 * of our code, and which makes the run's embedded template (test/support/global-setup.ts) before any
 * test file starts. The flag is read each time V8 compiles WebAssembly, so it holds from here on: the
 * template took 2.3–2.6 s and 3.8–4.3 CPU-s without it and 1.3–1.6 s and 1.6–2.1 CPU-s with it on Node 20
 * (1.6–1.9 s without and 1.4–1.7 s with it on Node 24, which compiles lazily already; 2 cores, 2026-12-06).
 */
export function useProcessFlagsHere(): void {
  setFlagsFromString(PROCESS_FLAGS.join(' '));
}
