import { resolve } from 'node:path';
import { count } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { importInventoryFile, type CreatedUpdated, type ImportCounts } from '../../db/inventory-import.js';
import { smartAccounts } from '../../db/schema.js';
import { listTransfers } from '../../db/transfers-repo.js';
import { findSmartAccount } from '../../db/accounts-repo.js';
import type { ExportTarget } from '../../src/commands/command.js';
import { loadTransferView, transferJson } from '../../src/app/views.js';
import { parseTransactionId } from '../../src/commands/transaction-id.js';
import { isStatus } from '../../src/domain/status.js';
import { translate } from '../../src/i18n/index.js';
import type { Config } from '../../src/config.js';
import { appDeps, openConfiguredDatabase, UsageError, UserError } from './runtime.js';

/** Runs `fn` with the configured database open, and always closes it. */
export async function withDatabase<T>(
  config: Config,
  migrate: boolean,
  fn: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openConfiguredDatabase(config, { migrate });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

export function describeCounts(counts: ImportCounts): string {
  return (Object.entries(counts) as [string, CreatedUpdated][])
    .map(([list, c]) => `${list}: ${c.created} created, ${c.updated} updated`)
    .join('; ');
}

/** `transfer-bot import FILE`: all or nothing, every error with its path. */
export async function importFile(database: Database, file: string): Promise<string> {
  const result = await importInventoryFile(database.db, resolve(file));
  if (!result.ok) {
    const lines = result.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
    throw new UserError(
      `${file} was not imported (${lines.length} error${lines.length === 1 ? '' : 's'}, nothing written):\n${lines.join('\n')}`,
    );
  }
  return describeCounts(result.counts);
}

export async function isEmpty(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ n: count() }).from(smartAccounts);
  return Number(row?.n ?? 0) === 0;
}

export async function showJson(database: Database, config: Config, id: string): Promise<string> {
  const canonical = parseTransactionId(id);
  if (!canonical) throw new UserError(translate('en', 'grammar:error.badTransactionId', { word: id }));
  const view = await loadTransferView(appDeps(database, config).db, canonical, null);
  if (!view) throw new UserError(`transaction ${canonical} not found`);
  return JSON.stringify(transferJson(view), null, 2);
}

export async function listJson(
  database: Database,
  options: { smartAccount?: string | undefined; status?: string | undefined },
): Promise<string> {
  if (options.status !== undefined && !isStatus(options.status)) {
    throw new UserError(translate('en', 'grammar:error.badStatus', { word: options.status }));
  }
  let ids: number[] | 'all' = 'all';
  if (options.smartAccount) {
    const sa = await findSmartAccount(database.db, options.smartAccount);
    if (!sa)
      throw new UserError(translate('en', 'core:refusal.unknownAccount', { domain: options.smartAccount }));
    ids = [sa.id];
  }
  const rows = await listTransfers(database.db, {
    smartAccountIds: ids,
    status: options.status !== undefined && isStatus(options.status) ? options.status : undefined,
    limit: 100_000,
  });
  const out: Record<string, unknown>[] = [];
  for (const row of rows) {
    const view = await loadTransferView(database.db, row.id, null);
    if (view) out.push(transferJson(view, false));
  }
  return JSON.stringify(out, null, 2);
}

export async function exportTo(
  database: Database,
  config: Config,
  options: { smartAccount?: string | undefined; transaction?: string | undefined; out: string },
): Promise<string> {
  if (Boolean(options.smartAccount) === Boolean(options.transaction)) {
    throw new UsageError('export needs exactly one of --smart-account DOMAIN or --transaction ID');
  }
  const deps = appDeps(database, config);
  let target: ExportTarget;
  if (options.transaction) {
    const id = parseTransactionId(options.transaction);
    if (!id)
      throw new UserError(translate('en', 'grammar:error.badTransactionId', { word: options.transaction }));
    target = { kind: 'transaction', transactionId: id };
  } else {
    const sa = await findSmartAccount(database.db, options.smartAccount!);
    if (!sa)
      throw new UserError(translate('en', 'core:refusal.unknownAccount', { domain: options.smartAccount! }));
    target = { kind: 'smartAccount', smartAccount: sa.domain };
  }
  const { exportWorkbookTo } = await import('../../src/app/export.js');
  const result = await exportWorkbookTo(deps, null, target, options.out);
  if (!result.ok)
    throw new UserError(translate('en', result.refusal.message.key, result.refusal.message.params));
  return result.value.path;
}
