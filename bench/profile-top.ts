import { readFileSync } from 'node:fs';

/**
 * `node --import tsx bench/profile-top.ts FILE.cpuprofile [N]`: where a benchmark process spent its
 * time — the N functions with the most self time, and the share of it. Profiles come from
 * `BENCH_PROFILE=1 npm run bench -- NAME` (bench/profiles/).
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
const [file, top = '25'] = args.filter((a) => a !== '--by-area');
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
for (let i = 0; i < samples.length; i++) {
  const id = samples[i]!;
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

const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const f = node.callFrame;
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
const total = profile.endTime - profile.startTime;
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s profiled\n`);
for (const [name, micros] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  process.stdout.write(
    `${((micros / total) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`,
  );
}
