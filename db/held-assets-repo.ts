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
import { PLACED_ITEMS_NAMED, type PlacedElsewhere } from '../src/inventory/placed-elsewhere.js';
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

interface PlacedRow {
  transfer_id: string;
  status: Status;
  destination: string;
  place: string;
  licenses: number;
  devices: number;
  /** The references of the transfer's first items placed elsewhere (JSON array, in the transfer's order). */
  refs: string;
}

/**
 * The assets this import moved away from where their last completed transfer put them, per transfer and
 * per place the file put them, most first. One statement for the whole import, however many assets moved:
 * each moved asset's last transferred item (by when it moved) is read with its transfer, and kept when the
 * asset was, before this import, in that transfer's destination. They are counted before their places are
 * named, so the names are looked up once per place rather than once per asset; of each transfer's items, the
 * first `PLACED_ITEMS_NAMED` (in the order the transfer lists them) are named by their reference.
 */
export async function movesFromCompletedTransfers(tx: Q, moved: MovedAssets): Promise<PlacedElsewhere[]> {
  if (moved.licenses.size + moved.devices.size === 0) return [];
  const pairs = (list: Map<number, number>) => JSON.stringify([...list]);
  const rows = await query<PlacedRow>(
    tx,
    sql`with moved(kind, asset_id, from_va) as (
        select 'license'::asset_kind, (e->>0)::int, (e->>1)::int from jsonb_array_elements(${pairs(moved.licenses)}::jsonb) e
        union all
        select 'device'::asset_kind, (e->>0)::int, (e->>1)::int from jsonb_array_elements(${pairs(moved.devices)}::jsonb) e
      ), last_moves as (
        select distinct on (m.kind, m.asset_id) m.kind, m.asset_id, m.from_va, ti.transfer_id, t.status,
          t.destination_virtual_account_id as destination_va, ti.id as item_id, ti.ref
        from moved m
        join transfer_items ti on ti.kind = m.kind and coalesce(ti.license_id, ti.device_id) = m.asset_id
        join transfers t on t.id = ti.transfer_id
        where ti.result = 'transferred' and t.status in ('transfer_completed', 'transfer_completed_with_failure')
          -- Only an asset that was in some completed transfer's destination can be where its last one put it.
          and m.from_va in (select destination_virtual_account_id from transfers
            where status in ('transfer_completed', 'transfer_completed_with_failure'))
        order by m.kind, m.asset_id, ti.moved_at desc nulls last, ti.id desc
      ), counted as materialized (
        select l.transfer_id, l.status, l.destination_va,
          coalesce(cl.virtual_account_id, cd.virtual_account_id) as virtual_account_id,
          (count(*) filter (where l.kind = 'license'))::int as licenses,
          (count(*) filter (where l.kind = 'device'))::int as devices
        from last_moves l
        left join licenses cl on l.kind = 'license' and cl.id = l.asset_id
        left join devices cd on l.kind = 'device' and cd.id = l.asset_id
        where l.from_va = l.destination_va
        group by 1, 2, 3, 4
      ), named as (
        select transfer_id, jsonb_agg(ref order by item_id)::text as refs
        from (select l.transfer_id, l.ref, l.item_id,
            row_number() over (partition by l.transfer_id order by l.item_id) as n
          from last_moves l where l.from_va = l.destination_va) firsts
        where n <= ${sql.raw(String(PLACED_ITEMS_NAMED))}
        group by transfer_id
      )
      select c.transfer_id, c.status, lower(ds.domain) || '/' || dv.name as destination,
        lower(s.domain) || '/' || v.name as place, c.licenses, c.devices, n.refs
      from counted c
      join named n on n.transfer_id = c.transfer_id
      join virtual_accounts v on v.id = c.virtual_account_id
      join smart_accounts s on s.id = v.smart_account_id
      join virtual_accounts dv on dv.id = c.destination_va
      join smart_accounts ds on ds.id = dv.smart_account_id
      order by c.transfer_id, c.licenses + c.devices desc, place`,
  );
  const byTransfer = new Map<string, PlacedElsewhere>();
  for (const r of rows) {
    let placed = byTransfer.get(r.transfer_id);
    if (!placed) {
      placed = {
        transferId: r.transfer_id,
        status: r.status,
        destination: r.destination,
        licenses: 0,
        devices: 0,
        places: [],
        refs: JSON.parse(r.refs) as string[],
      };
      byTransfer.set(r.transfer_id, placed);
    }
    placed.licenses += r.licenses;
    placed.devices += r.devices;
    placed.places.push({ place: r.place, assets: r.licenses + r.devices });
  }
  return [...byTransfer.values()];
}
