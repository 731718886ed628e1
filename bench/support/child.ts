import type { BenchOutcome } from './results.js';

/**
 * Runs one benchmark in a process of its own, so one benchmark's memory and warm caches never
 * colour another's figures; the outcome goes back to bench/run.ts over the IPC channel.
 */
const name = process.argv[2];
if (!name || !/^[a-z-]+$/.test(name)) {
  process.stderr.write('usage: child.ts <benchmark>\n');
  process.exit(2);
}
const module = (await import(`../${name}.ts`)) as { run: () => Promise<BenchOutcome> };
try {
  const outcome = await module.run();
  process.send?.(outcome);
} catch (err) {
  process.send?.({
    bench: name,
    database: '?',
    seconds: 0,
    results: [],
    error: (err as Error).stack ?? String(err),
  });
  process.exitCode = 1;
}
