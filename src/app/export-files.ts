import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { AppDeps } from './deps.js';

/**
 * How long an export written for a chat stays in the export folder. A Teams file offer is good for as
 * long (the file is read when the person accepts it), and a console user reads the path at once.
 */
export const EXPORT_FILE_LIFETIME_MS = 24 * 3600 * 1000;

// Only what `exportWorkbook` writes there is ever removed: its own workbooks, and nothing underneath.
const EXPORT_FILE = /\.xlsx$/i;

/** Whether `path` is a workbook directly in the export folder, the only files this module removes. */
function isExportFile(exportDir: string, path: string): boolean {
  const file = resolve(path);
  return dirname(file) === resolve(exportDir) && EXPORT_FILE.test(file);
}

/**
 * A chat export has reached the person (uploaded to Slack, or to their OneDrive from Teams): the copy
 * on disk is no longer needed. A path outside the export folder (a CLI `--out` file) is left alone.
 */
export async function discardDeliveredExport(deps: Pick<AppDeps, 'config'>, path: string): Promise<void> {
  if (!isExportFile(deps.config.exportDir, path)) return;
  await rm(path, { force: true });
}

/**
 * Removes the workbooks in the export folder older than `maxAgeMs` at `now`, by their modification
 * time: files whose delivery failed or that a person never accepted. Returns their names. A folder that
 * does not exist yet holds nothing to remove; a file that vanished meanwhile is simply skipped.
 */
export async function sweepExportFiles(
  exportDir: string,
  now: Date,
  maxAgeMs: number = EXPORT_FILE_LIFETIME_MS,
): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(exportDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !EXPORT_FILE.test(entry.name)) continue;
    const path = join(exportDir, entry.name);
    try {
      const { mtimeMs } = await stat(path);
      if (now.getTime() - mtimeMs <= maxAgeMs) continue;
      await rm(path, { force: true });
      removed.push(entry.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
