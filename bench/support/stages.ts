/**
 * The stages of one decision, for `bench/profile-top.ts --by-stage`: each sample of a CPU profile goes to
 * the innermost frame of its stack that belongs to a stage, so the database calls and translations a stage
 * makes count as its own. A sample with no stage on its stack (work resumed after an await inside a
 * driver or repository, whose caller the profiler cannot see) is named by where its leaf runs.
 */
interface CallFrame {
  functionName: string;
  url: string;
}

const STAGES: { stage: string; test: (f: CallFrame) => boolean }[] = [
  {
    stage: 'Block Kit rendering',
    test: (f) => /\/adapters\/slack\/render\/|\/src\/app\/cards\.ts/.test(f.url),
  },
  {
    stage: 'outbox: claim, route, post, mark sent',
    test: (f) => /\/src\/delivery\/|\/adapters\/slack\/sender\.ts|\/src\/app\/send-retries\.ts/.test(f.url),
  },
  {
    stage: "the click's transaction (read, decide, write, enqueue)",
    test: (f) => /\/src\/app\/(actions|apply|run|notifications)\.ts|\/src\/domain\//.test(f.url),
  },
  {
    stage: 'reading the transfer for the answer',
    test: (f) => /\/src\/app\/(views|dispatch)\.ts/.test(f.url),
  },
  {
    stage: 'identifying the clicker',
    test: (f) => /\/src\/app\/(identity|reader)\.ts|\/adapters\/slack\/(context|people)\.ts/.test(f.url),
  },
  { stage: 'click handler (payload, answer)', test: (f) => /\/adapters\/slack\/handlers\//.test(f.url) },
  { stage: 'Slack adapter (routes, interaction)', test: (f) => /\/adapters\/slack\//.test(f.url) },
  {
    stage: 'Slack Web API client',
    test: (f) => /node_modules\/(@slack\/web-api|axios|form-data)\//.test(f.url),
  },
  { stage: "Bolt's request handling", test: (f) => /node_modules\/@slack\/bolt\//.test(f.url) },
];

/** What a stack without a stage is doing, by its leaf. */
function leafArea(f: CallFrame): string {
  if (f.functionName === '(garbage collector)') return 'garbage collection';
  if (f.functionName === '(program)') return 'V8 itself (program)';
  if (/node_modules\/(postgres|drizzle-orm|@electric-sql)\//.test(f.url) || /\/db\//.test(f.url))
    return 'database driver and repositories (after an await)';
  if (f.functionName.startsWith('wasm-function') || f.url.startsWith('wasm'))
    return 'database engine (PGlite wasm)';
  if (/^node:|^$/.test(f.url)) return `Node internals (no stage): ${f.functionName || '(native)'}`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url);
  return pkg ? `package ${pkg[1]} (no stage)` : `other: ${f.url.replace(/^.*\//, '')}`;
}

/** The stage of a stack, leaf first. */
export function stageOf(stack: readonly CallFrame[]): string {
  for (const frame of stack) for (const s of STAGES) if (s.test(frame)) return s.stage;
  return leafArea(stack[0]!);
}
