import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discardDeliveredExport,
  EXPORT_FILE_LIFETIME_MS,
  sweepExportFiles,
} from '../../src/app/export-files.js';
import { exportWorkbook, exportWorkbookTo } from '../../src/app/export.js';
import { runDueJobs } from '../../src/schedule/jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { RecordingSender } from '../support/recording-sender.js';
import { actor, seedWorld } from '../support/world.js';
import { exportDeps, filesIn, type Deps } from './support.js';
import { workingDayReminders } from '../support/reminders.js';

const NOW = new Date('2026-11-23T08:00:00Z');

/** A file in `dir` last written `ageMs` before NOW. */
function fileAged(dir: string, name: string, ageMs: number): void {
  const path = join(dir, name);
  writeFileSync(path, 'PK');
  const at = new Date(NOW.getTime() - ageMs);
  utimesSync(path, at, at);
}

describe('export files on disk', () => {
  let database: TestDatabase;
  let deps: Deps;
  let scratch: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    deps = exportDeps(database.db);
    scratch = mkdtempSync(join(tmpdir(), 'transfer-bot-out-'));
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(deps.config.exportDir, { recursive: true, force: true });
    await database.dispose();
  });

  it('`--out` onto an existing directory fails and leaves no .partial file behind', async () => {
    const target = join(scratch, 'report.xlsx');
    mkdirSync(join(target, 'inside'), { recursive: true });
    await expect(
      exportWorkbookTo(deps, null, { kind: 'smartAccount', smartAccount: 'fr-a.example' }, target),
    ).rejects.toThrow();
    expect(filesIn(scratch)).toEqual(['report.xlsx']);
    expect(filesIn(target)).toEqual(['inside']);
  });

  it('removes the workbooks older than their lifetime, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transfer-bot-sweep-'));
    try {
      fileAged(dir, 'old.xlsx', EXPORT_FILE_LIFETIME_MS + 60_000);
      fileAged(dir, 'OLD-UPPER.XLSX', 3 * EXPORT_FILE_LIFETIME_MS);
      fileAged(dir, 'fresh.xlsx', EXPORT_FILE_LIFETIME_MS - 60_000);
      fileAged(dir, 'notes.txt', 10 * EXPORT_FILE_LIFETIME_MS);
      mkdirSync(join(dir, 'folder.xlsx'));
      expect((await sweepExportFiles(dir, NOW)).sort()).toEqual(['OLD-UPPER.XLSX', 'old.xlsx']);
      expect(filesIn(dir)).toEqual(['folder.xlsx', 'fresh.xlsx', 'notes.txt']);
      // The clock is an argument: a day later the fresh one has had its time too.
      expect(await sweepExportFiles(dir, new Date(NOW.getTime() + EXPORT_FILE_LIFETIME_MS))).toEqual([
        'fresh.xlsx',
      ]);
      expect(await sweepExportFiles(join(dir, 'not-yet-created'), NOW)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('discards a delivered chat export, and never a file outside the export folder', async () => {
    const alice = await actor(database.db, 'alice');
    const exported = await exportWorkbook(deps, alice, {
      kind: 'smartAccount',
      smartAccount: 'fr-a.example',
    });
    if (!exported.ok) throw new Error(exported.refusal.message.key);
    expect(filesIn(deps.config.exportDir)).toContain(exported.value.name);
    await discardDeliveredExport(deps, exported.value.path);
    expect(filesIn(deps.config.exportDir)).not.toContain(exported.value.name);

    fileAged(scratch, 'kept.xlsx', 0);
    await discardDeliveredExport(deps, join(scratch, 'kept.xlsx'));
    await discardDeliveredExport(deps, join(deps.config.exportDir, '..', 'kept.xlsx'));
    expect(filesIn(scratch)).toContain('kept.xlsx');
  });

  it('`jobs run` sweeps the export folder with the rest of the due work', async () => {
    fileAged(deps.config.exportDir, 'left-behind.xlsx', EXPORT_FILE_LIFETIME_MS + 1);
    const summary = await runDueJobs(deps, {
      senders: [new RecordingSender({ platform: 'console' })],
      settings: workingDayReminders('UTC'),
      now: NOW,
    });
    expect(summary.expiredExports).toBe(1);
    expect(filesIn(deps.config.exportDir)).not.toContain('left-behind.xlsx');
  });
});
