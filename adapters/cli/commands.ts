import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AppDeps } from '../../src/app/deps.js';
import type { HeldRole, PersonRolesChanged } from '../../src/app/import-records.js';
import { importInventoryFile, inventoryIsEmpty } from '../../src/app/inventory.js';
import type { ImportCounts, ListCounts } from '../../src/app/ports/inventory.js';
import { transferJson, transferListJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import type { ExportTarget } from '../../src/commands/command.js';
import { statusOf } from '../../src/commands/grammar.js';
import { parseTransactionId } from '../../src/commands/transaction-id.js';
import type { Refusal } from '../../src/domain/types.js';
import { translate } from '../../src/i18n/index.js';
import { placedElsewhereWarning } from '../../src/inventory/placed-elsewhere.js';
import { shownBack } from '../../src/text/input-check.js';
import type { Progress } from './progress.js';
import { UsageError, UserError } from './runtime.js';

export { withRuntime } from './compose.js';

/** The command line speaks English: a refusal is one line on stderr. */
function refusedLine(refusal: Refusal): UserError {
  return new UserError(translate('en', refusal.message.key, refusal.message.params));
}

export function describeCounts(counts: ImportCounts): string {
  return (Object.entries(counts) as [string, ListCounts][])
    .map(([list, c]) => `${list}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`)
    .join('; ');
}

/**
 * One person whose roles an import changed, in the file's words: `roles of Ann Lee (ann@example.com): gained
 * user of acme.example; lost admin of acme.example, compliance`. Their name and address as the console
 * writes words: on one line, what would disguise them written as code points.
 */
export function rolesChangedLine({ person, gained, lost }: PersonRolesChanged): string {
  const shown = (text: string) => shownBack(text).replace(/[\n\t]/gu, ' ');
  const held = (h: HeldRole) => (h.account ? `${h.role} of ${shown(h.account.domain)}` : h.role);
  const parts = [
    ...(gained.length > 0 ? [`gained ${gained.map(held).join(', ')}`] : []),
    ...(lost.length > 0 ? [`lost ${lost.map(held).join(', ')}`] : []),
  ];
  return `roles of ${shown(person.name)} (${shown(person.email)}): ${parts.join('; ')}`;
}

/**
 * `transfer-bot import FILE`: all or nothing, every error with its path; the completed transfers whose assets
 * it put somewhere else, the people whose roles it changed, and the transfers it cancelled, named.
 */
export async function importFile(deps: AppDeps, file: string, progress?: Progress): Promise<string> {
  const result = await importInventoryFile(
    deps,
    resolve(file),
    progress ? { onProgress: (p) => progress.update(`import: ${p.list}`, p.done, p.total) } : {},
  );
  progress?.end();
  if (!result.ok) {
    const lines = result.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
    // One error is one line (a file that cannot be read, say); several are listed under the first line.
    if (lines.length === 1) throw new UserError(`${file} was not imported (nothing written): ${lines[0]}`);
    throw new UserError(
      `${file} was not imported (${lines.length} errors, nothing written):\n${lines.join('\n')}`,
    );
  }
  const lines = [describeCounts(result.counts)];
  for (const placed of result.placedElsewhere) lines.push(placedElsewhereWarning('en', placed));
  for (const person of result.rolesChanged) lines.push(rolesChangedLine(person));
  if (result.cancelled.length > 0) {
    lines.push(
      `cancelled, as a consent they wait for can no longer be given (its role was taken away): ${result.cancelled.join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** A first start on an empty database loads `file` (the demo inventory); null when there was something already. */
export async function importIfEmpty(deps: AppDeps, file: string): Promise<string | null> {
  return (await inventoryIsEmpty(deps)) ? importFile(deps, file) : null;
}

export async function showJson(deps: AppDeps, id: string): Promise<string> {
  const canonical = parseTransactionId(id);
  if (!canonical) throw new UserError(translate('en', 'grammar:error.badTransactionId', { word: id }));
  const view = await loadTransferView(deps, canonical, null);
  if (!view) throw new UserError(`transaction ${canonical} not found`);
  return JSON.stringify(transferJson(view), null, 2);
}

export async function listJson(
  deps: AppDeps,
  options: { smartAccount?: string | undefined; status?: string | undefined },
): Promise<string> {
  const known = options.status === undefined ? undefined : statusOf(options.status);
  if (known && !known.ok) throw new UserError(translate('en', known.error.key, known.error.params));
  const status = known?.value;
  const listed = await transferListJson(deps, { smartAccount: options.smartAccount, status, limit: 100_000 });
  if (!listed.ok) throw refusedLine(listed.refusal);
  return JSON.stringify(listed.value, null, 2);
}

export async function exportTo(
  deps: AppDeps,
  options: { smartAccount?: string | undefined; transaction?: string | undefined; out: string },
  progress?: Progress,
): Promise<string> {
  if (Boolean(options.smartAccount) === Boolean(options.transaction)) {
    throw new UsageError('export needs exactly one of --smart-account DOMAIN or --transaction ID');
  }
  let target: ExportTarget;
  if (options.transaction) {
    const id = parseTransactionId(options.transaction);
    if (!id)
      throw new UserError(translate('en', 'grammar:error.badTransactionId', { word: options.transaction }));
    target = { kind: 'transaction', transactionId: id };
  } else {
    target = { kind: 'smartAccount', smartAccount: options.smartAccount! };
  }
  // A folder named as the file is told before the workbook is made, not by the system's EISDIR after.
  if ((await stat(options.out).catch(() => undefined))?.isDirectory())
    throw new UserError(
      `cannot write ${options.out}: it is a folder; give the file's name (--out FILE.xlsx)`,
    );
  const { exportWorkbookTo } = await import('../../src/app/export.js');
  const result = await exportWorkbookTo(deps, null, target, options.out, {
    onProgress: progress ? (p) => progress.update('export: rows', p.done, p.total) : undefined,
  }).catch((err: unknown) => {
    // The file system's refusals (a system call failed) are the user's to fix; anything else is ours.
    if (typeof (err as NodeJS.ErrnoException | null)?.syscall !== 'string') throw err;
    throw new UserError(`cannot write ${options.out}: ${writeProblem(err)}`, { cause: err });
  });
  progress?.end();
  if (!result.ok) throw refusedLine(result.refusal);
  if (result.value.partial) {
    // The file is written and its path is the answer; what it leaves out is said beside it.
    const { partialNote } = await import('../../src/app/export-transactions.js');
    const note = partialNote(result.value.partial);
    process.stderr.write(`transfer-bot: ${translate('en', note.key, note.params)}\n`);
  }
  return result.value.path;
}

/** The file system's refusals a user can fix, in a few words for the command line. */
const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  EISDIR: "it is a folder; give the file's name (--out FILE.xlsx)",
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EROFS: 'the disk is read-only',
  // The folder exists (it was made first) yet takes no new file: a system folder such as /proc.
  ENOENT: 'its folder cannot be written; choose another folder',
};

/** Why a file could not be written; the system's own text for a refusal not named above. */
function writeProblem(err: unknown): string {
  const { code, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  // Making the folders of a path through a file: `mkdir` finds the file there.
  if (code === 'EEXIST' && syscall === 'mkdir') return WRITE_PROBLEMS['ENOTDIR']!;
  return (code && WRITE_PROBLEMS[code]) ?? (err instanceof Error ? err.message : String(err));
}
