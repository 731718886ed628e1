import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AssetRef } from '../src/commands/asset-ref.js';
import type { AssetRepository, AssetSearch, DeviceRow, LicenseRow } from '../src/app/ports/assets.js';
import type { Q } from './client.js';
import { devices, licenses, numberOf, transferItems } from './schema.js';
import { escapeLike } from './accounts-repo.js';
import { anyOf, idList } from './bulk-writes.js';
import { builtOnce, type Preparable } from './prepared.js';

// The assets a transfer's items name, read to draw it or, locked for the rest of the database
// transaction, to check and move them (see `builtOnce`).
function unlockedAndLocked<R>(
  name: string,
  read: (q: Q) => Preparable<R> & { for(strength: 'update'): Preparable<R> },
) {
  return {
    unlocked: builtOnce(name, read),
    locked: builtOnce(`${name}, locked`, (q) => read(q).for('update')),
  };
}
const LICENSES = unlockedAndLocked<LicenseRow[]>('licenses by ids', (q) =>
  q
    .select()
    .from(licenses)
    .where(anyOf(licenses.id, sql.placeholder('ids'), 'integer')),
);
const DEVICES = unlockedAndLocked<DeviceRow[]>('devices by ids', (q) =>
  q
    .select()
    .from(devices)
    .where(anyOf(devices.id, sql.placeholder('ids'), 'integer')),
);

export function assetRepository(q: Q): AssetRepository {
  return {
    resolveRefs: (smartAccountId, refs) => resolveRefs(q, smartAccountId, refs),
    heldBy: (keys, exceptTransferId) => heldBy(q, keys, exceptTransferId),
    loadAssets: async (licenseIds, deviceIds, lock) => ({
      licenses: await byId(licenseIds, LICENSES[lock ? 'locked' : 'unlocked'].on(q)),
      devices: await byId(deviceIds, DEVICES[lock ? 'locked' : 'unlocked'].on(q)),
    }),
    moveAssets: (licenseIds, deviceIds, to) => moveAssets(q, licenseIds, deviceIds, to),
    searchLicenses: (search) => searchLicenses(q, search),
    searchDevices: (search) => searchDevices(q, search),
  };
}

/**
 * The order licenses are listed in: by sales order, then by line, each compared as a number (line 2 before
 * line 10, as a person counts), its text breaking ties; a sales order and line name one license, so the
 * order is the same on every read. The listing index (`licenses_sa_order_idx`) holds the same order.
 */
const LICENSE_ORDER = [
  numberOf(licenses.salesOrder),
  licenses.salesOrder,
  numberOf(licenses.line),
  licenses.line,
] as const;
const LICENSE_ORDER_SQL = sql.join([...LICENSE_ORDER], sql`, `);

type LicenseField = Exclude<AssetRef['kind'], 'sn'>;

const LICENSE_FIELDS = {
  so: licenses.salesOrder,
  sub: licenses.subscriptionId,
  pak: licenses.pak,
  wo: licenses.webOrder,
} as const;

/** `expression = any(values)`, the values sent as one JSON parameter (the same on both drivers). */
const amongTexts = (expression: SQL, values: readonly string[]) =>
  sql`${expression} = any(array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)))`;

/**
 * The assets each reference names inside one Smart Account, in the order of `refs`. A reference is
 * looked up where the requester said the assets are; one that names nothing there is reported by name.
 * One query per kind of reference, however many references: a file of 10,000 lines is five queries.
 */
async function resolveRefs(
  q: Q,
  smartAccountId: number,
  refs: readonly AssetRef[],
): Promise<{ licenses: LicenseRow[]; devices: DeviceRow[] }[]> {
  const serials = new Set<string>();
  const wanted: Record<LicenseField, Set<string>> = {
    so: new Set(),
    sub: new Set(),
    pak: new Set(),
    wo: new Set(),
  };
  for (const ref of refs) {
    if (ref.kind === 'sn') serials.add(ref.serial.toUpperCase());
    else wanted[ref.kind].add((ref.kind === 'so' ? ref.salesOrder : ref.id).toLowerCase());
  }
  const deviceRows =
    serials.size === 0
      ? []
      : await q
          .select()
          .from(devices)
          .where(
            and(
              eq(devices.smartAccountId, smartAccountId),
              amongTexts(sql`upper(${devices.serialNumber})`, [...serials]),
            ),
          );
  const devicesBySerial = groupBy(deviceRows, (row) => row.serialNumber.toUpperCase());
  const licensesBy = {} as Record<LicenseField, Map<string, LicenseRow[]>>;
  for (const field of Object.keys(LICENSE_FIELDS) as LicenseField[]) {
    const column = LICENSE_FIELDS[field];
    const rows =
      wanted[field].size === 0
        ? []
        : await q
            .select()
            .from(licenses)
            .where(
              and(
                eq(licenses.smartAccountId, smartAccountId),
                amongTexts(sql`lower(${column})`, [...wanted[field]]),
              ),
            )
            .orderBy(...LICENSE_ORDER);
    licensesBy[field] = groupBy(rows, (row) => (licenseValue(row, field) ?? '').toLowerCase());
  }
  return refs.map((ref) => {
    if (ref.kind === 'sn')
      return { licenses: [], devices: devicesBySerial.get(ref.serial.toUpperCase()) ?? [] };
    if (ref.kind === 'so') {
      const order = licensesBy.so.get(ref.salesOrder.toLowerCase()) ?? [];
      return {
        licenses: ref.line === undefined ? order : order.filter((row) => row.line === ref.line),
        devices: [],
      };
    }
    return { licenses: licensesBy[ref.kind].get(ref.id.toLowerCase()) ?? [], devices: [] };
  });
}

function licenseValue(row: LicenseRow, field: LicenseField): string | null {
  switch (field) {
    case 'so':
      return row.salesOrder;
    case 'sub':
      return row.subscriptionId;
    case 'pak':
      return row.pak;
    case 'wo':
      return row.webOrder;
  }
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** The open transaction holding each asset key, if any (other than `exceptTransferId`). */
async function heldBy(
  q: Q,
  keys: readonly string[],
  exceptTransferId?: string,
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const held = new Map<string, string>();
  // `open` as the partial index of open items states it, not `open = $2`: a plan the server keeps for
  // every value (a generic plan, chosen once a connection has run the statement a few times) may use
  // that index only then, and read every item otherwise (test/db/partial-index-plans.test.ts).
  const rows = await q
    .select({ key: transferItems.assetKey, transferId: transferItems.transferId })
    .from(transferItems)
    .where(and(anyOf(transferItems.assetKey, keys, 'text'), sql`${transferItems.open}`));
  for (const r of rows) if (r.transferId !== exceptTransferId) held.set(r.key, r.transferId);
  return held;
}

/** Current rows of these assets by id, read through `read` (a query built once, locked or not). */
async function byId<R extends { id: number }>(
  ids: readonly number[],
  read: (values: { ids: string }) => Promise<R[]>,
): Promise<Map<number, R>> {
  if (ids.length === 0) return new Map();
  return new Map((await read({ ids: idList(ids) })).map((row) => [row.id, row]));
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
  if (search.line !== undefined) conditions.push(eq(licenses.line, search.line));
  const scope = and(...conditions)!;
  const term = search.query
    ?.trim()
    .replace(/^(so|wo|sub|pak):/i, '')
    .trim()
    .toLowerCase();
  const listing = q.select().from(licenses);
  if (!term)
    return listing
      .where(scope)
      .orderBy(...LICENSE_ORDER)
      .limit(search.limit);
  const prefix = `${escapeLike(term)}%`;
  const branches = [
    prefixBranch(
      licenses,
      scope,
      sql`lower(${licenses.salesOrder})`,
      prefix,
      search.limit,
      sql`${numberOf(licenses.line)}, ${licenses.line}`,
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
    branches.push(branch(licenses, scope, words, LICENSE_ORDER_SQL, search.limit));
  }
  return listing
    .where(sql`${licenses.id} in (${sql.join(branches, sql` union all `)})`)
    .orderBy(...LICENSE_ORDER)
    .limit(search.limit);
}

/**
 * Devices are listed by serial number as text. A serial is read character by character, not counted: its
 * width is fixed (`FOC2231X0AB`: factory, year and week, sequence), so its digits already compare as
 * numbers do (`FOC0002` before `FOC0010`), and the listing keeps the order of the serial typeahead, which
 * narrows by the first characters typed.
 */
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
