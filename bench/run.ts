import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchServerUrl } from './support/database.js';
import { describeMachine, stolenSince } from './support/machine.js';
import type { BenchOutcome } from './support/results.js';
import { describeMachineLine, markdownTable, notes } from './support/table.js';
import { redactUrl } from '../db/client.js';

/**
 * `npm run bench`: each benchmark in a process of its own, one after the other (the machine has two
 * cores; running them side by side would measure each other). `npm run bench -- typeahead start` runs
 * a subset; BENCH_PROFILE=1 writes a CPU profile of each measured step to bench/profiles/.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const ALL = [
  'ack-path',
  'typeahead',
  'large-transfer',
  'reminder-sweep',
  'startup',
  'durability',
  'landing-page',
  'reference-file',
  'big-export',
  'decision-round-trip',
] as const;

function runChild(name: string): Promise<BenchOutcome> {
  return new Promise((resolve) => {
    let outcome: BenchOutcome | undefined;
    const child = fork(join(HERE, 'support', 'child.ts'), [name], {
      // --expose-gc: a benchmark measuring memory starts from a collected heap.
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m) => {
      outcome = m as BenchOutcome;
    });
    child.on('exit', (code, signal) => {
      resolve(
        outcome ?? {
          bench: name,
          database: '?',
          seconds: 0,
          results: [],
          error: `the benchmark process ended (${signal ?? `exit ${code}`}) without a result`,
        },
      );
    });
  });
}

/** Which kind of database an outcome ran on: a run on one kind replaces only that kind's earlier figures. */
const databaseKind = (o: BenchOutcome) => (o.database.startsWith('embedded') ? 'embedded' : 'server');
const sameCase = (a: BenchOutcome, b: BenchOutcome) =>
  a.bench === b.bench && databaseKind(a) === databaseKind(b);

/** The figures of earlier runs, each with its own `ranAt`, kept for the cases this run did not measure. */
function earlierOutcomes(file: string): BenchOutcome[] {
  if (!existsSync(file)) return [];
  try {
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as { ranAt?: string; benchmarks?: BenchOutcome[] };
    return (earlier.benchmarks ?? []).map((o) => ({ ...o, ranAt: o.ranAt ?? earlier.ranAt }));
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(ALL as readonly string[]).includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark: ${unknown.join(', ')} (known: ${ALL.join(', ')})\n`);
    return 2;
  }
  const names = wanted.length > 0 ? ALL.filter((n) => wanted.includes(n)) : [...ALL];
  const server = benchServerUrl();
  const databaseKind = server
    ? `PostgreSQL server at ${redactUrl(server)} (BENCH_DATABASE_URL; a scratch database per benchmark, dropped after)`
    : 'embedded PGlite (set BENCH_DATABASE_URL to run against a PostgreSQL server)';
  const machine = describeMachine(databaseKind);
  process.stdout.write(`Benchmarks on ${describeMachineLine(machine)}\n\n`);
  if (server && names.includes('startup')) {
    process.stdout.write(
      'note: "startup" measures the embedded database whatever BENCH_DATABASE_URL says; it adds a start against the server.\n',
    );
  }
  const started = Date.now();
  const outcomes: BenchOutcome[] = [];
  for (const name of names) {
    process.stdout.write(`▶ ${name} …\n`);
    const stolen = stolenSince();
    const outcome = { ...(await runChild(name)), stolenPercent: stolen(), ranAt: new Date().toISOString() };
    outcomes.push(outcome);
    const steal =
      outcome.stolenPercent == null ? '' : `; CPU time taken by the host: ${outcome.stolenPercent} %`;
    process.stdout.write(
      outcome.error
        ? `  ✖ ${name} failed: ${outcome.error}\n`
        : `  ✓ ${name} in ${outcome.seconds} s on ${outcome.database}${steal}${outcome.notKept ? ` (${outcome.notKept}: not written to results.json)` : ''}\n`,
    );
  }
  const totalSeconds = Math.round((Date.now() - started) / 100) / 10;
  const table = markdownTable(outcomes);
  process.stdout.write(`\n${table}\n\n${notes(outcomes).join('\n')}\n\nTotal ${totalSeconds} s.\n`);
  const file = join(HERE, 'results.json');
  // A quick look at another size replaces nothing: the case keeps the figures of its last full run.
  const measured = outcomes.filter((o) => !o.notKept);
  if (measured.length === 0) {
    process.stdout.write(`Nothing written to ${file}: no benchmark ran as defined.\n`);
    return outcomes.some((o) => o.error) ? 1 : 0;
  }
  mkdirSync(dirname(file), { recursive: true });
  const kept = earlierOutcomes(file).filter((o) => !measured.some((n) => sameCase(n, o)));
  writeFileSync(
    file,
    `${JSON.stringify({ ranAt: new Date().toISOString(), totalSeconds, machine, benchmarks: [...kept, ...measured] }, null, 2)}\n`,
  );
  process.stdout.write(`Written to ${file}\n`);
  return outcomes.some((o) => o.error) ? 1 : 0;
}

process.exitCode = await main();
