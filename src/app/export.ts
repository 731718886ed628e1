import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { ExportTarget } from '../commands/command.js';
import type { Actor } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import { listTransferRows } from './queries.js';
import { okResult, refused, type Result } from './run.js';
import { loadTransferView } from './views.js';

export interface ExportedFile {
  path: string;
  name: string;
}

/** SPEC §8: an Excel file of one account's transactions, or of one transaction's items. Only what the actor may view. */
export async function exportWorkbook(
  deps: AppDeps,
  actor: Actor | null,
  target: ExportTarget | undefined,
): Promise<Result<ExportedFile>> {
  const workbook = new ExcelJS.Workbook();
  let name: string;
  if (target?.kind === 'transaction') {
    const view = await loadTransferView(deps.db, target.transactionId, actor);
    if (!view) return refused(refuse('not_found', 'core:refusal.notFound', { id: target.transactionId }));
    const sheet = workbook.addWorksheet('Items');
    sheet.addRow(['Reference', 'Kind', 'Result']);
    for (const i of view.items) sheet.addRow([i.ref, i.kind, i.result]);
    name = `${view.id}.xlsx`;
  } else {
    if (!actor) return refused(refuse('invalid', 'core:refusal.exportTarget'));
    const rows = await listTransferRows(deps, actor, { smartAccount: target?.smartAccount, limit: 10_000 });
    if (!rows.ok) return refused(rows.refusal);
    const sheet = workbook.addWorksheet('Transactions');
    sheet.addRow(['Transaction ID', 'Source', 'Destination', 'Status']);
    for (const r of rows.value) sheet.addRow([r.id, r.source, r.destination, r.status]);
    name = `transactions-${target?.smartAccount ?? 'all'}.xlsx`;
  }
  const dir = resolve(deps.config.exportDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return okResult({ path, name });
}
