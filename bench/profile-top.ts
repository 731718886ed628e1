import { readFileSync } from 'node:fs';
import { stageOf } from './support/stages.js';

/**
 * `node --import tsx bench/profile-top.ts FILE.cpuprofile [N] [--by-area | --by-stage] [--window FILE]`:
 * where a benchmark process spent its time — the N functions (or areas, or stages of a decision) with the
 * most self time, and the share of it. Profiles come from `BENCH_PROFILE=1 npm run bench -- NAME`
 * (bench/profiles/). `--window` keeps the samples between `from` and `to` (µs, the profiler's monotonic
 * clock) of a JSON file a benchmark wrote, and divides by its `decisions` for the CPU ms of each.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const args = process.argv.slice(2);
const byArea = args.includes('--by-area');
const byStage = args.includes('--by-stage');
const windowAt = args.indexOf('--window');
const window =
  windowAt >= 0
    ? (JSON.parse(readFileSync(args[windowAt + 1]!, 'utf8')) as {
        from: number;
        to: number;
        decisions?: number;
      })
    : undefined;
const [file, top = '25'] = args.filter(
  (a, i) => !a.startsWith('--by-') && a !== '--window' && (windowAt < 0 || i !== windowAt + 1),
);
if (!file) {
  process.stderr.write('usage: profile-top.ts FILE.cpuprofile [N] [--by-area]\n');
  process.exit(2);
}
// Piped into `head`, the reader may go before we are done: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const selfMicros = new Map<number, number>();
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
// A sample's delta is the time since the previous one: it is charged to the node sampled now.
let at = profile.startTime;
let inWindow = 0;
for (let i = 0; i < samples.length; i++) {
  const id = samples[i]!;
  at += deltas[i] ?? 0;
  if (window && (at < window.from || at > window.to)) continue;
  inWindow += deltas[i] ?? 0;
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (deltas[i] ?? 0));
}
/** Where a frame's code lives: PGlite's WebAssembly (the database itself), a package, or our own file. */
function area(f: Node['callFrame']): string {
  if (f.functionName.startsWith('wasm-function') || f.url.startsWith('wasm'))
    return 'database engine (PGlite wasm)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url);
  if (pkg) return `package ${pkg[1]}`;
  if (f.url.includes('/work/') || f.url.startsWith('file://'))
    return `ours ${f.url.replace(/^.*?\/(src|db|adapters|bench)\//, '$1/')}`;
  return f.functionName || '(native)';
}

const parents = new Map<number, Node>();
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
function stack(node: Node): Node['callFrame'][] {
  const frames: Node['callFrame'][] = [];
  for (let n: Node | undefined = node; n; n = parents.get(n.id)) frames.push(n.callFrame);
  return frames;
}

const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const f = node.callFrame;
  if (byStage) {
    if (!selfMicros.has(node.id) || f.functionName === '(idle)') continue;
    const key = stageOf(stack(nodes.get(node.id)!));
    byFunction.set(key, (byFunction.get(key) ?? 0) + selfMicros.get(node.id)!);
    continue;
  }
  if (byArea) {
    const key = area(f);
    byFunction.set(key, (byFunction.get(key) ?? 0) + (selfMicros.get(node.id) ?? 0));
    continue;
  }
  const where = f.url
    ? `${f.url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'node_modules/' : ''))}:${f.lineNumber + 1}`
    : '';
  const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + (selfMicros.get(node.id) ?? 0));
}
const total = window ? inWindow : profile.endTime - profile.startTime;
// By stage, shares are of the busy time (idle left out), and per decision when the window says how many.
const busy = byStage ? [...byFunction.values()].reduce((a, b) => a + b, 0) : total;
const per = window?.decisions;
process.stdout.write(
  `${file}: ${(total / 1e6).toFixed(1)} s profiled${byStage ? `, ${(busy / 1e6).toFixed(1)} s busy` : ''}${per ? `, ${per} decisions` : ''}\n`,
);
for (const [name, micros] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  const each = per ? `  ${(micros / 1000 / per).toFixed(2).padStart(6)} ms each` : '';
  process.stdout.write(
    `${((micros / busy) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms${each}  ${name}\n`,
  );
}
