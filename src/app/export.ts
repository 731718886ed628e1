import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
// A domain's punycode form (`サクラ.jp` → `xn--pckl1n.jp`) keeps its name in a file name made safe.
import { domainToASCII } from 'node:url';
import type { ExportTarget } from '../commands/command.js';
import type { Actor, Refusal } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { personAddress, type Reader } from '../i18n/index.js';
import type { AppDeps } from './deps.js';
import { historySheet, itemsSheet, transactionsSheet, type ExportContext } from './export-sheets.js';
import { summarySheet } from './export-summary-sheet.js';
import { wallClock, writeTables, type RowProgress, type Table } from './export-table.js';
import { keyParam, msg, type Msg } from '../i18n/msg.js';
import {
  partialNote,
  partialSheet,
  transactionLinesOf,
  transferPages,
  type PartialExport,
  type TransferPageReader,
} from './export-transactions.js';
import type { TransferFilter } from './ports/transfers.js';
import { currentSmartAccount, visibleFilter } from './queries.js';
import { readerFor } from './reader.js';
import { auditRefusal, notFound, okResult, refused, type Result } from './run.js';
import { loadTransferView } from './load-view.js';

export interface ExportedFile {
  path: string;
  name: string;
  /** Set when the file holds only the newest transactions of its scope (see `ACCOUNT_EXPORT_ROWS`). */
  partial?: PartialExport;
}

export interface ExportOptions {
  /** Who reads the file, as their surface resolved them; by default the actor as the inventory knows them. */
  reader?: Reader | undefined;
  /** Rows written to the workbook so far (the command line draws it on a terminal). */
  onProgress?: RowProgress | undefined;
}

/**
 * The most transactions an account's file holds, the newest; the file and the reply say when more were
 * left out. Not the million rows a sheet holds: exceljs keeps every distinct text of the file in memory
 * until its end (each transaction's ID is one), about 390 MiB over the process for a full sheet.
 */
export const ACCOUNT_EXPORT_ROWS = 100_000;

export interface Content {
  tables: Table[];
  /** A file name that says what the file holds, without the uniqueness suffix. */
  stem: string;
  /** The reader's time zone: the name's date and time are read on their clock, as the dates inside are. */
  timeZone: string;
  /** Once the tables are written: whether the file holds only part of its list. */
  partial?: () => PartialExport | undefined;
}

/**
 * An Excel file of one Smart Account's transactions, or of one transaction (summary, items, history), written under `deps.config.exportDir` with a name nobody else's export can take.
 * Only what the actor may view; a null actor is the operator at the command line, who sees all.
 * A refusal writes no file.
 */
export async function exportWorkbook(
  deps: AppDeps,
  actor: Actor | null,
  target?: ExportTarget,
  options: ExportOptions = {},
): Promise<Result<ExportedFile>> {
  const content = await exportContent(deps, actor, target, options);
  if (!content.ok) return content;
  return okResult(await writeExportFile(deps, content.value, options.onProgress));
}

/**
 * Writes tables as a workbook under `deps.config.exportDir`, named after `stem` with the date and time
 * on the reader's clock and a suffix nobody else's export can take; the export sweep removes it after a day.
 */
export async function writeExportFile(
  deps: Pick<AppDeps, 'config' | 'now'>,
  content: Content,
  onProgress?: RowProgress,
): Promise<ExportedFile> {
  const dir = resolve(deps.config.exportDir);
  await mkdir(dir, { recursive: true });
  const stamp = fileStamp(deps.now(), content.timeZone);
  for (;;) {
    const name = `${content.stem}-${stamp}-${randomBytes(4).toString('hex')}.xlsx`;
    const path = join(dir, name);
    let file: FileHandle;
    try {
      // `wx`: never overwrite, even if two exports drew the same suffix in the same second.
      file = await open(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await write(content.tables, file, path, deps.now(), onProgress);
    return withPartial({ path, name }, content);
  }
}

/** `20261207-120339`: when a file was written, on its reader's clock. */
function fileStamp(at: Date, timeZone: string): string {
  const local = wallClock(at, timeZone) ?? at;
  return local.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The same file at a path the caller chose (`transfer-bot export … --out FILE.xlsx`); replaces what is there. */
export async function exportWorkbookTo(
  deps: AppDeps,
  actor: Actor | null,
  target: ExportTarget | undefined,
  outPath: string,
  options: ExportOptions = {},
): Promise<Result<ExportedFile>> {
  const content = await exportContent(deps, actor, target, options);
  if (!content.ok) return content;
  const path = resolve(outPath);
  await mkdir(dirname(path), { recursive: true });
  // Written aside and renamed, so a reader never opens half a workbook; whatever fails on the way
  // (the disk, a directory where the file should go), the half-written copy goes too.
  const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await write(content.value.tables, await open(partial, 'wx'), partial, deps.now(), options.onProgress);
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return okResult(withPartial({ path, name: basename(path) }, content.value));
}

/** The reply to an export: the file's name, and what it leaves out when it holds only part of its list. */
export function exportedNotice(file: ExportedFile): Msg {
  if (!file.partial) return msg('core:reply.exported', { name: file.name });
  const note = partialNote(file.partial);
  return msg('core:reply.exportedPartial', { ...note.params, name: file.name, noteKey: keyParam(note.key) });
}

function withPartial(file: ExportedFile, content: Content): ExportedFile {
  const partial = content.partial?.();
  return partial ? { ...file, partial } : file;
}

async function write(
  tables: Table[],
  file: FileHandle,
  path: string,
  created: Date,
  onProgress?: RowProgress,
): Promise<void> {
  try {
    await writeTables(tables, file.createWriteStream(), created, onProgress);
  } catch (err) {
    // A file that failed half-way is no export: nobody may be handed it.
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
}

/** What the file holds, as the actor may see it, or why not: decided before any file exists. */
async function exportContent(
  deps: AppDeps,
  actor: Actor | null,
  target: ExportTarget | undefined,
  options: ExportOptions,
): Promise<Result<Content>> {
  const ctx = await exportContext(deps, actor, options);
  if (target?.kind === 'transaction') {
    const view = await loadTransferView(deps, target.transactionId, actor);
    if (!view) return refusedExport(deps, actor, target.transactionId, notFound(target.transactionId));
    const assets = await deps.store.assets.loadAssets(
      view.items.flatMap((i) => (i.licenseId === null ? [] : [i.licenseId])),
      view.items.flatMap((i) => (i.deviceId === null ? [] : [i.deviceId])),
      false,
    );
    return okResult({
      tables: [summarySheet(ctx, view), itemsSheet(ctx, view, assets), historySheet(ctx, view)],
      stem: safeName(view.id),
      timeZone: ctx.reader.timeZone,
    });
  }

  const account = target?.smartAccount ?? (actor ? await currentSmartAccount(deps, actor) : undefined);
  let scope: Omit<TransferFilter, 'limit'>;
  if (actor) {
    // Asked once before any file exists: a refusal writes none.
    const visible = await visibleFilter(deps, actor, { smartAccount: account });
    if (!visible.ok) return refusedExport(deps, actor, null, visible.refusal);
    scope = visible.value;
  } else {
    if (!account) return refused(refuse('invalid', 'core:refusal.exportTarget'));
    const sa = await deps.store.accounts.findSmartAccount(account);
    if (!sa) return refused(refuse('invalid', 'core:refusal.unknownAccount', { domain: account }));
    scope = { smartAccountIds: [sa.id] };
  }
  const read: TransferPageReader = (before, limit) =>
    deps.store.transfers.listLines({
      ...scope,
      before: before && { createdAt: before.createdAt, id: before.id },
      limit,
    });
  const maxRows = deps.config.accountExportRows ?? ACCOUNT_EXPORT_ROWS;
  let partial: PartialExport | undefined;
  const pages = transferPages(read, maxRows, () => {
    partial = { rows: maxRows, allAccounts: !account };
  });
  const linesOf = transactionLinesOf(deps);
  async function* lines() {
    for await (const rows of pages()) yield await linesOf(rows);
  }
  const tables = [transactionsSheet(ctx, lines), partialSheet(ctx, () => partial)];
  return okResult({
    tables,
    stem: `transactions-${account ? safeName(domainToASCII(account) || account) : 'all'}`,
    timeZone: ctx.reader.timeZone,
    partial: () => partial,
  });
}

async function refusedExport<T>(
  deps: AppDeps,
  actor: Actor | null,
  transferId: string | null,
  refusal: Refusal,
): Promise<Result<T>> {
  // A refused export is audited like any other refused action.
  if (actor) await auditRefusal(deps, actor, transferId, 'export', refusal);
  return refused(refusal);
}

async function exportContext(
  deps: AppDeps,
  actor: Actor | null,
  options: ExportOptions,
): Promise<ExportContext> {
  let reader = options.reader;
  if (!reader) {
    const user = actor ? await deps.store.users.findUser({ id: actor.userId }) : undefined;
    reader = readerFor(user, {}, deps.config.defaultTimeZone);
  }
  return {
    reader,
    exportedAt: deps.now(),
    exportedBy: actor ? personAddress(reader.locale, actor) : null,
  };
}

/** A file-name-safe form of a domain or transaction id: no path separators, no leading dot. */
export function safeName(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 60);
  return cleaned === '' ? 'export' : cleaned;
}
