import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'profiles');

/**
 * Runs `fn`; with BENCH_PROFILE=1, under the V8 CPU profiler, writing bench/profiles/NAME.cpuprofile —
 * the measured step alone, not the seeding around it (read it with bench/profile-top.ts, or open it in
 * Chrome DevTools). With PGlite the database's own work shows up too, as wasm-function frames.
 */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_PROFILE !== '1') return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(DIR, { recursive: true });
    const file = join(DIR, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`  profile of ${name}: ${file}\n`);
  }
}

/**
 * With BENCH_PROFILE=1, the flags that have a child process profiled from its start to its stop, into
 * bench/profiles/NAME.cpuprofile (written when it stops); none otherwise.
 */
export function childProfileFlags(name: string): string[] {
  if (process.env.BENCH_PROFILE !== '1') return [];
  mkdirSync(DIR, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${DIR}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/**
 * With BENCH_PROFILE=1, writes bench/profiles/NAME.json: the window from `from` (a `process.hrtime`
 * reading, in ns) to now, in µs on the clock V8's profiler stamps its samples with, for
 * `profile-top --window`; `extra` (say, how many decisions it held) goes along.
 */
export function writeProfileWindow(name: string, from: bigint, extra: Record<string, number> = {}): void {
  if (process.env.BENCH_PROFILE !== '1') return;
  mkdirSync(DIR, { recursive: true });
  const window = { from: Number(from / 1000n), to: Number(process.hrtime.bigint() / 1000n), ...extra };
  writeFileSync(join(DIR, `${name}.json`), JSON.stringify(window));
}
