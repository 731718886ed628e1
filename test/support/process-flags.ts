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
 * The command lines under test (`transfer-bot migrate`, `import`, `start` …), each a process that starts,
 * does its part and ends: on Node 20 also JavaScript compiled by the baseline compiler only. Node 20's V8
 * has one optimizing tier, TurboFan, which compiled the hot functions of each such process again on
 * background threads: an eighth of the CPU of the processes under test in a profile of a whole run (perf, 2
 * cores, 2026-12-06). test/cli alone, in turn: 41.7 and 41.6 CPU-s with the flag against 48.9 and 44.8
 * without; whole runs 124.2 and 124.7 CPU-s (80.2 and 82.1 s) against 125.3 and 137.7 (82.5 and 87.2 s). The
 * test workers, which run for the whole suite, keep TurboFan: test/app, test/schedule and test/delivery took
 * 37.5 and 36.1 CPU-s with the flag on them too against 36.0 and 41.4 without, no gain. Node 22 and later
 * tier up through Maglev, a cheaper compiler, and gained nothing either (test/cli on Node 24: 49.0 and 48.5
 * CPU-s with the flag, 48.1 and 48.1 without), so they keep their defaults.
 */
export const COMMAND_FLAGS = [
  ...PROCESS_FLAGS,
  ...(Number(process.versions.node.split('.')[0]) < 22 ? ['--max-opt=1'] : []),
];

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
