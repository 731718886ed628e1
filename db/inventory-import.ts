import { sql } from 'drizzle-orm';
import type { Q } from './client.js';
import {
  ensureVirtualAccounts,
  findSmartAccounts,
  findVirtualAccounts,
  query,
  upsertLegalEntities,
  upsertSmartAccounts,
  upsertVirtualAccounts,
} from './inventory-upserts.js';
import { importUsers } from './inventory-people.js';
import {
  upsertDevices,
  upsertLicenses,
  type DeviceRow,
  type LicenseRow,
  type MovedAsset,
} from './asset-upserts.js';
import type { Repositories } from '../src/app/ports/store.js';
import {
  InventoryRefusedError,
  type ImportCounts,
  type ImportOptions,
  type ImportOutcome,
  type InventoryStore,
  type ListCounts,
} from '../src/app/ports/inventory.js';
import {
  DEFAULT_VIRTUAL_ACCOUNT,
  vaKey,
  type Inventory,
  type KnownIdentities,
} from '../src/inventory/schema.js';
import { inventoryCensus, unlinkedPeople } from './inventory-census.js';
import {
  heldAssetRows,
  movesFromCompletedTransfers,
  movesOfHeldAssets,
  toHeldAssets,
  type MovedAssets,
} from './held-assets-repo.js';

const DEFAULT_BATCH_SIZE = 1_000;

/** `reposOn`: the application's repositories on the import's transaction, for `options.record`. */
export function inventoryStore(db: Q, reposOn: (tx: Q) => Repositories): InventoryStore {
  return {
    knownIdentities: () => loadKnownIdentities(db),
    importInventory: (inventory, options) => importInventory(db, inventory, options, reposOn),
    census: () => inventoryCensus(db),
    unlinkedPeople: (limit) => unlinkedPeople(db, limit),
  };
}

/**
 * Creates or updates everything the inventory lists, in one database transaction; never deletes. The inventory
 * must come from `parseInventory` against this database's known identities, which guarantees every reference
 * resolves. Assets go in batches, so memory and round trips stay flat for a million rows.
 * A row replaces what is stored for its identity, except optional fields it leaves out (see inventory-upserts.ts);
 * one that changes nothing is counted unchanged, and a user also counts updated when their chat ids or roles change.
 * An asset that an open transfer holds may not move: `parseInventory` refuses that up front, and should a
 * transfer take such an asset while the import runs, this throws `InventoryRefusedError` and writes nothing.
 * An asset moved away from where its last completed transfer put it is moved, and named in the outcome
 * (see placed-elsewhere.ts), as is each role given or taken away; `options.record` (given `reposOn`) writes
 * what the application keeps of them, last, in the same transaction.
 */
export async function importInventory(
  db: Q,
  inventory: Inventory,
  options: ImportOptions = {},
  reposOn?: (tx: Q) => Repositories,
): Promise<ImportOutcome> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  return db.transaction(async (tx) => {
    const counts: ImportCounts = {
      legalEntities: none(),
      smartAccounts: none(),
      virtualAccounts: none(),
      users: none(),
      licenses: none(),
      devices: none(),
    };
    const legalEntities = inventory.legalEntities ?? [];
    if (legalEntities.length > 0) {
      counts.legalEntities = await upsertLegalEntities(
        tx,
        legalEntities.map((e) => ({
          id: e.id,
          name: e.name,
          country: e.country ?? null,
          address: e.address ?? null,
          parent_id: e.parentId ?? null,
        })),
      );
    }

    const accounts = await importSmartAccounts(tx, inventory, counts);
    const roleChanges = await importUsers(tx, inventory, accounts, counts);

    const virtualAccounts = await virtualAccountIds(tx, inventory, accounts);
    const locate = (list: string, i: number, domain: string, va: string) => {
      const smartAccountId = accounts.get(domain);
      const virtualAccountId = virtualAccounts.get(vaKey(domain, va));
      // parseInventory checked every reference; reaching this means the file was not validated against this database.
      if (smartAccountId === undefined || virtualAccountId === undefined) {
        throw new Error(`${list}[${i}]: unknown Smart Account or Virtual Account ${domain}/${va}`);
      }
      return { smart_account_id: smartAccountId, virtual_account_id: virtualAccountId };
    };

    const moved: MovedAssets = { licenses: new Map(), devices: new Map() };
    const remember = (list: Map<number, number>, assets: MovedAsset[]) => {
      for (const a of assets) list.set(a.id, a.fromVirtualAccountId);
    };

    const licenses = inventory.licenses ?? [];
    for (let start = 0; start < licenses.length; start += batchSize) {
      const rows = licenses.slice(start, start + batchSize).map((l, k): LicenseRow => ({
        ...locate('licenses', start + k, l.smartAccount, l.virtualAccount),
        sales_order: l.salesOrder,
        line: l.line,
        pid: l.pid,
        description: l.description ?? null,
        quantity: l.quantity,
        license_type: l.licenseType,
        web_order: l.webOrder ?? null,
        subscription_id: l.subscriptionId ?? null,
        pak: l.pak ?? null,
        purchase_model: l.purchaseModel,
        pending_upgrade: l.pendingUpgrade,
        in_use: l.inUse,
        reserved: l.reserved,
        minor_lines: l.minorLines,
      }));
      const upserted = await upsertLicenses(tx, rows);
      add(counts.licenses, upserted);
      remember(moved.licenses, upserted.moved);
      options.onProgress?.({ list: 'licenses', done: start + rows.length, total: licenses.length });
    }

    const devices = inventory.devices ?? [];
    for (let start = 0; start < devices.length; start += batchSize) {
      const rows = devices.slice(start, start + batchSize).map((d, k): DeviceRow => ({
        ...locate('devices', start + k, d.smartAccount, d.virtualAccount),
        serial_number: d.serialNumber,
        pid: d.pid,
        host_id: d.hostId ?? null,
        uuid: d.uuid ?? null,
        license_type: d.licenseType ?? null,
        pnp_status: d.pnpStatus ?? null,
        sales_order: d.salesOrder ?? null,
        registration: d.registration,
      }));
      const upserted = await upsertDevices(tx, rows);
      add(counts.devices, upserted);
      remember(moved.devices, upserted.moved);
      options.onProgress?.({ list: 'devices', done: start + rows.length, total: devices.length });
    }
    // Last, so that a transfer which took one of these assets while the batches went in is seen too.
    const refusals = await movesOfHeldAssets(tx, inventory, moved);
    if (refusals.length > 0) throw new InventoryRefusedError(refusals);
    const outcome = { counts, placedElsewhere: await movesFromCompletedTransfers(tx, moved), roleChanges };
    if (options.record) {
      if (!reposOn) throw new Error('importInventory: recording the import needs repositories');
      await options.record(reposOn(tx), outcome);
    }
    return outcome;
  });
}

/** Upserts the file's Smart Accounts and their VAs; returns the id of every Smart Account the file names. */
async function importSmartAccounts(
  tx: Q,
  inventory: Inventory,
  counts: ImportCounts,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const listed = inventory.smartAccounts ?? [];
  if (listed.length > 0) {
    const rows = await upsertSmartAccounts(
      tx,
      listed.map((a) => ({ domain: a.domain, name: a.name, legal_entity_id: a.legalEntityId ?? null })),
    );
    for (const row of rows) {
      ids.set(row.domain.toLowerCase(), row.id);
      counts.smartAccounts[row.outcome] += 1;
    }
    const vaRows = listed.flatMap((a) =>
      (a.virtualAccounts ?? []).map((va) => ({
        smart_account_id: ids.get(a.domain)!,
        name: va.name,
        on_prem: va.onPrem,
      })),
    );
    if (vaRows.length > 0) counts.virtualAccounts = await upsertVirtualAccounts(tx, vaRows);
    // Each Smart Account's DEFAULT VA, which the file need not list: created when missing, else unchanged.
    const implicit = listed.filter(
      (a) =>
        !(a.virtualAccounts ?? []).some(
          (va) => va.name.toLowerCase() === DEFAULT_VIRTUAL_ACCOUNT.toLowerCase(),
        ),
    ).length;
    const created = await ensureVirtualAccounts(tx, [...ids.values()], DEFAULT_VIRTUAL_ACCOUNT);
    counts.virtualAccounts.created += created;
    counts.virtualAccounts.unchanged += implicit - created;
  }

  const referenced = new Set<string>();
  for (const l of inventory.licenses ?? []) referenced.add(l.smartAccount);
  for (const d of inventory.devices ?? []) referenced.add(d.smartAccount);
  for (const u of inventory.users ?? []) for (const r of u.roles ?? []) referenced.add(r.smartAccount);
  const missing = [...referenced].filter((domain) => !ids.has(domain));
  if (missing.length > 0) {
    for (const row of await findSmartAccounts(tx, missing)) ids.set(row.domain.toLowerCase(), row.id);
  }
  return ids;
}

/** VA ids by `vaKey`, for the Smart Accounts that licenses and devices sit in. */
async function virtualAccountIds(
  tx: Q,
  inventory: Inventory,
  accounts: Map<string, number>,
): Promise<Map<string, number>> {
  const used = new Set<number>();
  for (const asset of [...(inventory.licenses ?? []), ...(inventory.devices ?? [])]) {
    const id = accounts.get(asset.smartAccount);
    if (id !== undefined) used.add(id);
  }
  const domains = new Map([...accounts].map(([domain, id]) => [id, domain]));
  const ids = new Map<string, number>();
  if (used.size === 0) return ids;
  for (const va of await findVirtualAccounts(tx, [...used])) {
    const domain = domains.get(va.smart_account_id);
    if (domain !== undefined) ids.set(vaKey(domain, va.name), va.id);
  }
  return ids;
}

/** What `parseInventory` needs to accept references to what the database already holds. */
export async function loadKnownIdentities(db: Q): Promise<KnownIdentities> {
  const entities = await query<{ id: string }>(db, sql`select id from legal_entities`);
  const accounts = await query<{ domain: string; name: string | null }>(
    db,
    sql`select s.domain, v.name from smart_accounts s left join virtual_accounts v on v.smart_account_id = s.id`,
  );
  const linked = await query<{ platform: string; external_id: string; email: string }>(
    db,
    sql`select i.platform, i.external_id, u.email from user_identities i join users u on u.id = i.user_id`,
  );
  const slackUserIds = new Map<string, string>();
  const teamsUserIds = new Map<string, string>();
  for (const identity of linked) {
    const holders =
      identity.platform === 'slack' ? slackUserIds : identity.platform === 'teams' ? teamsUserIds : null;
    holders?.set(identity.external_id, identity.email.toLowerCase());
  }
  return {
    legalEntityIds: new Set(entities.map((e) => e.id)),
    smartAccountDomains: new Set(accounts.map((a) => a.domain.toLowerCase())),
    virtualAccounts: new Set(accounts.flatMap((a) => (a.name === null ? [] : [vaKey(a.domain, a.name)]))),
    slackUserIds,
    teamsUserIds,
    heldAssets: toHeldAssets(await heldAssetRows(db)),
  };
}

function none(): ListCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}

function add(total: ListCounts, more: ListCounts): void {
  total.created += more.created;
  total.updated += more.updated;
  total.unchanged += more.unchanged;
}
