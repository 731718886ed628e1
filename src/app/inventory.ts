import { parseInventory, type InventoryError } from '../inventory/schema.js';
import { readInventoryFile } from '../inventory/read-file.js';
import type { AppDeps } from './deps.js';
import {
  InventoryRefusedError,
  type ImportCounts,
  type ImportOptions,
  type InventoryCensus,
  type Unlinked,
} from './ports/inventory.js';

export type ImportFileResult = { ok: true; counts: ImportCounts } | { ok: false; errors: InventoryError[] };

/** Reads an inventory file, checks it against what the database holds, and imports it; on any error nothing is written. */
export async function importInventoryFile(
  deps: Pick<AppDeps, 'store'>,
  path: string,
  options: ImportOptions = {},
): Promise<ImportFileResult> {
  const read = await readInventoryFile(path);
  if (!read.ok) return read;
  const parsed = parseInventory(read.json, await deps.store.inventory.knownIdentities());
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, counts: await deps.store.inventory.importInventory(parsed.inventory, options) };
  } catch (err) {
    if (err instanceof InventoryRefusedError) return { ok: false, errors: err.errors };
    throw err;
  }
}

/** Whether the inventory holds nothing yet (a first start loads the demo into it). */
export async function inventoryIsEmpty(deps: Pick<AppDeps, 'store'>): Promise<boolean> {
  return (await deps.store.accounts.countSmartAccounts()) === 0;
}

/** What the inventory holds, and who in it the bot cannot reach on any chat platform yet (`transfer-bot doctor`). */
export async function inventoryCensus(
  deps: Pick<AppDeps, 'store'>,
  listed = 20,
): Promise<{ counts: InventoryCensus; unlinked: Unlinked }> {
  const [counts, unlinked] = await Promise.all([
    deps.store.inventory.census(),
    deps.store.inventory.unlinkedPeople(listed),
  ]);
  return { counts, unlinked };
}
