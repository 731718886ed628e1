import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AssetRef } from '../src/commands/asset-ref.js';
import type { AssetRepository, AssetSearch, DeviceRow, LicenseRow } from '../src/app/ports/assets.js';
import type { Q } from './client.js';
import { devices, licenses, transferItems } from './schema.js';
import { escapeLike } from './accounts-repo.js';
import { anyOf } from './bulk-writes.js';

export function assetRepository(q: Q): AssetRepository {
  return {
    resolveRef: (smartAccountId, ref) => resolveRef(q, smartAccountId, ref),
    heldBy: (keys, exceptTransferId) => heldBy(q, keys, exceptTransferId),
    loadAssets: (licenseIds, deviceIds, lock) => loadAssets(q, licenseIds, deviceIds, lock),
    moveAssets: (licenseIds, deviceIds, to) => moveAssets(q, licenseIds, deviceIds, to),
    searchLicenses: (search) => searchLicenses(q, search),
    searchDevices: (search) => searchDevices(q, search),
  };
}

/**
 * The assets a reference names inside one Smart Account. A reference is looked up where the requester
 * said the assets are; one that names nothing there is reported by name.
 */
async function resolveRef(
  q: Q,
  smartAccountId: number,
  ref: AssetRef,
): Promise<{ licenses: LicenseRow[]; devices: DeviceRow[] }> {
  if (ref.kind === 'sn') {
    const rows = await q
      .select()
      .from(devices)
      .where(
        and(
          eq(devices.smartAccountId, smartAccountId),
          sql`upper(${devices.serialNumber}) = upper(${ref.serial})`,
        ),
      );
    return { licenses: [], devices: rows };
  }
  let where: SQL;
  switch (ref.kind) {
    case 'so':
      where =
        ref.line === undefined
          ? sql`lower(${licenses.salesOrder}) = lower(${ref.salesOrder})`
          : sql`lower(${licenses.salesOrder}) = lower(${ref.salesOrder}) and ${licenses.line} = ${ref.line}`;
      break;
    case 'sub':
      where = sql`lower(${licenses.subscriptionId}) = lower(${ref.id})`;
      break;
    case 'pak':
      where = sql`lower(${licenses.pak}) = lower(${ref.id})`;
      break;
    case 'wo':
      where = sql`lower(${licenses.webOrder}) = lower(${ref.id})`;
      break;
  }
  const rows = await q
    .select()
    .from(licenses)
    .where(and(eq(licenses.smartAccountId, smartAccountId), where))
    .orderBy(licenses.salesOrder, licenses.line);
  return { licenses: rows, devices: [] };
}

/** The open transaction holding each asset key, if any (other than `exceptTransferId`). */
async function heldBy(
  q: Q,
  keys: readonly string[],
  exceptTransferId?: string,
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const held = new Map<string, string>();
  const rows = await q
    .select({ key: transferItems.assetKey, transferId: transferItems.transferId })
    .from(transferItems)
    .where(and(anyOf(transferItems.assetKey, keys, 'text'), eq(transferItems.open, true)));
  for (const r of rows) if (r.transferId !== exceptTransferId) held.set(r.key, r.transferId);
  return held;
}

/** Current rows of these assets, locked for the rest of the database transaction when `lock` is set. */
async function loadAssets(
  q: Q,
  licenseIds: readonly number[],
  deviceIds: readonly number[],
  lock: boolean,
): Promise<{ licenses: Map<number, LicenseRow>; devices: Map<number, DeviceRow> }> {
  const lic = new Map<number, LicenseRow>();
  const dev = new Map<number, DeviceRow>();
  if (licenseIds.length > 0) {
    const query = q
      .select()
      .from(licenses)
      .where(anyOf(licenses.id, licenseIds, 'integer'));
    for (const r of await (lock ? query.for('update') : query)) lic.set(r.id, r);
  }
  if (deviceIds.length > 0) {
    const query = q
      .select()
      .from(devices)
      .where(anyOf(devices.id, deviceIds, 'integer'));
    for (const r of await (lock ? query.for('update') : query)) dev.set(r.id, r);
  }
  return { licenses: lic, devices: dev };
}

/** Moves assets to the destination. Licenses move whole (every minor line and all their quantity). */
async function moveAssets(
  q: Q,
  licenseIds: readonly number[],
  deviceIds: readonly number[],
  { smartAccountId, virtualAccountId }: { smartAccountId: number; virtualAccountId: number },
): Promise<void> {
  if (licenseIds.length > 0) {
    await q
      .update(licenses)
      .set({ smartAccountId, virtualAccountId })
      .where(anyOf(licenses.id, licenseIds, 'integer'));
  }
  if (deviceIds.length > 0) {
    await q
      .update(devices)
      .set({ smartAccountId, virtualAccountId })
      .where(anyOf(devices.id, deviceIds, 'integer'));
  }
}

/**
 * What counts as free text, looked for anywhere in license descriptions: words — a run of at least
 * three letters, or several words with spaces. A code (`C9300-DNA`, `Sub-3`, `104857`) is looked up in the
 * identifiers only: inside descriptions it would match little yet, being short or punctuated, make the
 * trigram index hand back most of the account to check row by row.
 */
export function isFreeText(term: string): boolean {
  const text = term.trim();
  if (text.replace(/\s+/g, '').length < 3) return false;
  return /\s/.test(text) || /^\p{L}+$/u.test(text);
}

/**
 * One branch of a search: the first `limit` rows matching one identifier, read in that identifier's
 * index order. However many rows match, a branch reads at most `limit` of them, so a search costs
 * the same in an account of a thousand assets or of a million.
 */
function branch(
  table: typeof licenses | typeof devices,
  scope: SQL,
  match: SQL,
  order: SQL,
  limit: number,
): SQL {
  return sql`(select ${table.id} from ${table} where ${scope} and ${match} order by ${order} limit ${limit})`;
}

/** `lower(column) like 'prefix%'`, ordered the way its `text_pattern_ops` index is. */
function prefixBranch(
  table: typeof licenses | typeof devices,
  scope: SQL,
  expression: SQL,
  pattern: string,
  limit: number,
  then?: SQL,
): SQL {
  return branch(
    table,
    scope,
    sql`${expression} like ${pattern}`,
    then ? sql`${expression} using ~<~, ${then}` : sql`${expression} using ~<~`,
    limit,
  );
}

/**
 * Typeahead and listing: prefix search on the identifiers users type (sales order, web order,
 * subscription, PAK, PID for licenses; serial, PID, host ID, UUID for devices), each served by an index,
 * and free text inside license descriptions. One branch per identifier, united, then put in listing
 * order: a single query OR-ing them could use no index and read the whole account.
 * With more matches than `limit`, which ones come back is the first of each identifier's order; the
 * caller shows that there are more.
 */
async function searchLicenses(q: Q, search: AssetSearch): Promise<LicenseRow[]> {
  const conditions: SQL[] = [eq(licenses.smartAccountId, search.smartAccountId)];
  if (search.virtualAccountId !== undefined)
    conditions.push(eq(licenses.virtualAccountId, search.virtualAccountId));
  const scope = and(...conditions)!;
  const term = search.query
    ?.trim()
    .replace(/^(so|wo|sub|pak):/i, '')
    .trim()
    .toLowerCase();
  const listing = q.select().from(licenses);
  if (!term) return listing.where(scope).orderBy(licenses.salesOrder, licenses.line).limit(search.limit);
  const prefix = `${escapeLike(term)}%`;
  const branches = [
    prefixBranch(
      licenses,
      scope,
      sql`lower(${licenses.salesOrder})`,
      prefix,
      search.limit,
      sql`${licenses.line}`,
    ),
    prefixBranch(licenses, scope, sql`lower(${licenses.webOrder})`, prefix, search.limit),
    prefixBranch(licenses, scope, sql`lower(${licenses.subscriptionId})`, prefix, search.limit),
    prefixBranch(licenses, scope, sql`lower(${licenses.pak})`, prefix, search.limit),
    prefixBranch(licenses, scope, sql`lower(${licenses.pid})`, prefix, search.limit),
  ];
  if (isFreeText(term)) {
    // No index gives descriptions an order: the planner reads the listing order and stops early when
    // the words are common, or uses the trigram index when they are rare.
    const words = sql`lower(${licenses.description}) like ${`%${escapeLike(term)}%`}`;
    branches.push(
      branch(licenses, scope, words, sql`${licenses.salesOrder}, ${licenses.line}`, search.limit),
    );
  }
  return listing
    .where(sql`${licenses.id} in (${sql.join(branches, sql` union all `)})`)
    .orderBy(licenses.salesOrder, licenses.line)
    .limit(search.limit);
}

async function searchDevices(q: Q, search: AssetSearch): Promise<DeviceRow[]> {
  const conditions: SQL[] = [eq(devices.smartAccountId, search.smartAccountId)];
  if (search.virtualAccountId !== undefined)
    conditions.push(eq(devices.virtualAccountId, search.virtualAccountId));
  const scope = and(...conditions)!;
  const term = search.query?.trim().replace(/^sn:/i, '').trim();
  const listing = q.select().from(devices);
  if (!term) return listing.where(scope).orderBy(devices.serialNumber).limit(search.limit);
  const upper = `${escapeLike(term.toUpperCase())}%`;
  const lower = `${escapeLike(term.toLowerCase())}%`;
  const branches = [
    prefixBranch(devices, scope, sql`upper(${devices.serialNumber})`, upper, search.limit),
    prefixBranch(devices, scope, sql`lower(${devices.pid})`, lower, search.limit),
    prefixBranch(devices, scope, sql`lower(${devices.hostId})`, lower, search.limit),
    prefixBranch(devices, scope, sql`lower(${devices.uuid})`, lower, search.limit),
  ];
  return listing
    .where(sql`${devices.id} in (${sql.join(branches, sql` union all `)})`)
    .orderBy(devices.serialNumber)
    .limit(search.limit);
}
