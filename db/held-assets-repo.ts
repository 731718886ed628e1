import { sql } from 'drizzle-orm';
import type { Status } from '../src/domain/status.js';
import {
  deviceName,
  heldAssetMove,
  licenseKey,
  licenseName,
  type HeldAsset,
  type HeldAssets,
  type Place,
} from '../src/inventory/held-assets.js';
import { formatPath, type Inventory, type InventoryError } from '../src/inventory/schema.js';
import { accountRepository } from './accounts-repo.js';
import type { Q } from './client.js';
import { query } from './inventory-upserts.js';

/**
 * The assets open transfers hold, for the inventory import: read up front so the file is refused before
 * anything is written, and again at the end of the import's transaction for a transfer that started meanwhile.
 */

/** Assets an import batch moved: asset id → the Virtual Account it was in before. */
export interface MovedAssets {
  licenses: Map<number, number>;
  devices: Map<number, number>;
}

interface HeldAssetRow {
  kind: 'license' | 'device';
  asset_id: number;
  transfer_id: string;
  status: Status;
  sales_order: string | null;
  line: string | null;
  serial_number: string | null;
  domain: string;
  virtual_account: string;
}

/** Every asset an open transfer holds, and where it is now. Few: only transfers under way hold assets. */
export function heldAssetRows(q: Q): Promise<HeldAssetRow[]> {
  return query(
    q,
    sql`select ti.kind, coalesce(ti.license_id, ti.device_id) as asset_id, ti.transfer_id, t.status,
        l.sales_order, l.line, d.serial_number, s.domain, v.name as virtual_account
      from transfer_items ti
      join transfers t on t.id = ti.transfer_id
      left join licenses l on l.id = ti.license_id
      left join devices d on d.id = ti.device_id
      join smart_accounts s on s.id = coalesce(l.smart_account_id, d.smart_account_id)
      join virtual_accounts v on v.id = coalesce(l.virtual_account_id, d.virtual_account_id)
      where ti.open`,
  );
}

/** By identity; each where it is now, unless `placeOf` says otherwise. */
export function toHeldAssets(
  rows: HeldAssetRow[],
  placeOf = (r: HeldAssetRow): Place => ({
    smartAccount: r.domain.toLowerCase(),
    virtualAccount: r.virtual_account,
  }),
): HeldAssets {
  const licenses = new Map<string, HeldAsset>();
  const devices = new Map<string, HeldAsset>();
  for (const r of rows) {
    const held: HeldAsset = { transferId: r.transfer_id, status: r.status, ...placeOf(r) };
    if (r.sales_order !== null && r.line !== null) licenses.set(licenseKey(r.sales_order, r.line), held);
    if (r.serial_number !== null) devices.set(r.serial_number.toUpperCase(), held);
  }
  return { licenses, devices };
}

/**
 * The assets this import moved (id → the VA they were in) that an open transfer holds, as errors on the
 * rows of the file that moved them.
 */
export async function movesOfHeldAssets(
  tx: Q,
  inventory: Inventory,
  moved: MovedAssets,
): Promise<InventoryError[]> {
  if (moved.licenses.size + moved.devices.size === 0) return [];
  const fromOf = (r: HeldAssetRow) => (r.kind === 'license' ? moved.licenses : moved.devices).get(r.asset_id);
  const rows = (await heldAssetRows(tx)).filter((r) => fromOf(r) !== undefined);
  if (rows.length === 0) return [];
  const lookup = accountRepository(tx);
  const vas = await lookup.virtualAccountsByIds(rows.map((r) => fromOf(r)!));
  const accounts = await lookup.smartAccountsByIds([...vas.values()].map((v) => v.smartAccountId));
  // Where they were before this import, so the errors read as they would have up front.
  const held = toHeldAssets(rows, (r) => {
    const va = vas.get(fromOf(r)!)!;
    return { smartAccount: accounts.get(va.smartAccountId)!.domain.toLowerCase(), virtualAccount: va.name };
  });
  return heldAssetErrors(inventory, held);
}

/** The rows of the file that move a held asset, in the file's order. */
function heldAssetErrors(inventory: Inventory, held: HeldAssets): InventoryError[] {
  const errors: InventoryError[] = [];
  const check = (move: ReturnType<typeof heldAssetMove>) => {
    if (move) errors.push({ path: formatPath(move.path), message: move.message });
  };
  (inventory.licenses ?? []).forEach((l, i) => {
    const h = held.licenses.get(licenseKey(l.salesOrder, l.line));
    if (h) check(heldAssetMove('licenses', i, licenseName(l.salesOrder, l.line), h, l));
  });
  (inventory.devices ?? []).forEach((d, i) => {
    const h = held.devices.get(d.serialNumber.toUpperCase());
    if (h) check(heldAssetMove('devices', i, deviceName(d.serialNumber), h, d));
  });
  return errors;
}
