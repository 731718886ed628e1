import { parseInventory, type InventoryError } from '../inventory/schema.js';
import { readInventoryFile } from '../inventory/read-file.js';
import { settleAnswerers } from './consents-lost.js';
import { importRecorder, rolesChangedByPerson, type PersonRolesChanged } from './import-records.js';
import type { AppDeps } from './deps.js';
import { officersChanged } from './officers.js';
import type { PlacedElsewhere } from '../inventory/placed-elsewhere.js';
import {
  InventoryRefusedError,
  type ImportCounts,
  type ImportOptions,
  type ImportOutcome,
  type InventoryCensus,
  type Unlinked,
} from './ports/inventory.js';

export type ImportFileResult =
  | {
      ok: true;
      counts: ImportCounts;
      /** Completed transfers whose assets the file put somewhere else (recorded in their history). */
      placedElsewhere: PlacedElsewhere[];
      /** The people whose roles the file changed, in e-mail order (recorded, and each one told). */
      rolesChanged: PersonRolesChanged[];
      /** Transfers cancelled as a consent they waited for can no longer be given (see settleAnswerers). */
      cancelled: string[];
    }
  | { ok: false; errors: InventoryError[] };

/**
 * Reads an inventory file, checks it against what the database holds, and imports it; on any error
 * nothing is written. Then the transfers awaiting a consent whose askers' roles the file changed are
 * settled (see settleAnswerers): cancelled when nobody asked can give it any more, else their history says
 * who can no longer answer, or can again. The compliance officers it made or unmade are handed the
 * screenings (see officersChanged). Assets the file moves away from where a completed transfer put
 * them are moved (the file is the operator's record), each such transfer named in the outcome and its history.
 * Each role the file gives or takes away from someone already in the inventory is recorded and the person
 * told, as for a `grant` or `revoke` in chat (see import-records.ts), with the import.
 */
export async function importInventoryFile(
  deps: AppDeps,
  path: string,
  options: ImportOptions = {},
): Promise<ImportFileResult> {
  const read = await readInventoryFile(path);
  if (!read.ok) return read;
  const parsed = parseInventory(read.json, await deps.store.inventory.knownIdentities());
  if (!parsed.ok) return parsed;
  let outcome: ImportOutcome;
  const at = options.at ?? deps.now();
  const officersBefore = await officerIds(deps);
  try {
    outcome = await deps.store.inventory.importInventory(parsed.inventory, {
      ...options,
      at,
      record: importRecorder(at),
    });
  } catch (err) {
    if (err instanceof InventoryRefusedError) return { ok: false, errors: err.errors };
    throw err;
  }
  const cancelled = await settleAnswerers(deps, { imported: true });
  const officersAfter = await officerIds(deps);
  await officersChanged(
    deps,
    [...officersAfter].filter((id) => !officersBefore.has(id)),
    [...officersBefore].filter((id) => !officersAfter.has(id)),
  );
  return {
    ok: true,
    counts: outcome.counts,
    placedElsewhere: outcome.placedElsewhere,
    rolesChanged: rolesChangedByPerson(outcome.roleChanges),
    cancelled,
  };
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

/** Who holds the compliance role now. */
async function officerIds(deps: Pick<AppDeps, 'store'>): Promise<Set<number>> {
  return new Set((await deps.store.users.usersWithGlobalRole('compliance')).map((u) => u.id));
}
