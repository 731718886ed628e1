import { statSync } from 'node:fs';
import { openDatabase } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { DEFAULT_CONFIG } from '../../src/app/deps.js';
import { exportWorkbookTo } from '../../src/app/export.js';
import type { ExportTarget } from '../../src/commands/command.js';
import { profiled } from './profile.js';
import { ms, settledRss, withPeakMemory } from './stats.js';

/** What one measured export reports to bench/big-export.ts. */
export interface ExportCaseResult {
  seconds: number;
  /** CPU time of this process (user and system) during the export: what a shared machine cannot stretch. */
  cpuSeconds: number;
  bytes: number;
  rss: { idle: number; peak: number };
  /** How long the process waited for its resident set to settle before the export, and whether it did. */
  settling: { waitedMs: number; settled: boolean };
  heap: { idle: number; peak: number };
  /** Where the resident set stood at its peak: the JS heap in use, and the array buffers outside it. */
  atPeak: { heapUsed: number; arrayBuffers: number };
}

/**
 * One export, as `transfer-bot export --out` writes it, in a process of its own on the database the
 * parent seeded (DATABASE_URL, else DATA_DIR): the memory it reports is this export's alone, over a
 * process that has opened the database and loaded the Excel library, as a bot has after its first export.
 * Arguments: the target as JSON, the output path, the profile's name.
 */
const [targetJson, out, profileName] = process.argv.slice(2);
if (!targetJson || !out || !profileName) {
  process.stderr.write('usage: export-case.ts TARGET_JSON OUT.xlsx PROFILE_NAME\n');
  process.exit(2);
}
const target = JSON.parse(targetJson) as ExportTarget;
const database = await openDatabase(
  process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.DATA_DIR! },
);
try {
  const deps = { store: createStore(database.db), now: () => new Date(), config: DEFAULT_CONFIG };
  await import('exceljs');
  await deps.store.accounts.findSmartAccount('warm.example');
  globalThis.gc?.();
  const settling = await settledRss();
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const measured = await withPeakMemory(() =>
    profiled(profileName, () => exportWorkbookTo(deps, null, target, out)),
  );
  const seconds = ms(start) / 1000;
  const used = process.cpuUsage(cpu);
  if (!measured.value.ok) throw new Error(`export refused: ${measured.value.refusal.message.key}`);
  const result: ExportCaseResult = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    bytes: statSync(out).size,
    rss: { idle: measured.rss.before, peak: measured.rss.peak },
    settling,
    heap: { idle: measured.heap.before, peak: measured.heap.peak },
    atPeak: { heapUsed: measured.atPeak.heapUsed, arrayBuffers: measured.atPeak.arrayBuffers },
  };
  process.send?.(result);
} finally {
  await database.close();
}
