import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AssetRef } from '../src/commands/asset-ref.js';
import type { DeviceAsset, LicenseAsset } from '../src/domain/types.js';
import type { Q } from './client.js';
import { devices, licenses, transferItems } from './schema.js';
import { escapeLike } from './accounts-repo.js';

export type LicenseRow = typeof licenses.$inferSelect;
export type DeviceRow = typeof devices.$inferSelect;

export function toLicenseAsset(r: LicenseRow): LicenseAsset {
  return {
    kind: 'license',
    id: r.id,
    smartAccountId: r.smartAccountId,
    virtualAccountId: r.virtualAccountId,
    salesOrder: r.salesOrder,
    line: r.line,
    pid: r.pid,
    quantity: r.quantity,
    purchaseModel: r.purchaseModel,
    pendingUpgrade: r.pendingUpgrade,
    inUse: r.inUse,
    reserved: r.reserved,
  };
}

export function toDeviceAsset(r: DeviceRow): DeviceAsset {
  return {
    kind: 'device',
    id: r.id,
    smartAccountId: r.smartAccountId,
    virtualAccountId: r.virtualAccountId,
    serialNumber: r.serialNumber,
    pid: r.pid,
    registration: r.registration,
  };
}

export function licenseRef(r: Pick<LicenseRow, 'salesOrder' | 'line'>): string {
  return `SO:${r.salesOrder}-${r.line}`;
}

export function deviceRef(r: Pick<DeviceRow, 'serialNumber'>): string {
  return `SN:${r.serialNumber}`;
}

/**
 * The assets a reference names inside one Smart Account. A reference is looked up where the requester
 * said the assets are; one that names nothing there is reported by name.
 */
export async function resolveRef(
  q: Q,
  smartAccountId: number,
  ref: AssetRef,
): Promise<{ licenses: LicenseRow[]; devices: DeviceRow[] }> {
  if (ref.kind === 'sn') {
    const rows = await q
      .select()
      .from(devices)
      .where(and(eq(devices.smartAccountId, smartAccountId), sql`upper(${devices.serialNumber}) = upper(${ref.serial})`));
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
export async function heldBy(q: Q, keys: string[], exceptTransferId?: string): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const held = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const rows = await q
      .select({ key: transferItems.assetKey, transferId: transferItems.transferId })
      .from(transferItems)
      .where(and(inArray(transferItems.assetKey, keys.slice(i, i + 5000)), eq(transferItems.open, true)));
    for (const r of rows) if (r.transferId !== exceptTransferId) held.set(r.key, r.transferId);
  }
  return held;
}

/** Current rows of these assets, locked for the rest of the database transaction when `lock` is set. */
export async function loadAssets(
  q: Q,
  licenseIds: number[],
  deviceIds: number[],
  lock: boolean,
): Promise<{ licenses: Map<number, LicenseRow>; devices: Map<number, DeviceRow> }> {
  const lic = new Map<number, LicenseRow>();
  const dev = new Map<number, DeviceRow>();
  for (let i = 0; i < licenseIds.length; i += 5000) {
    const query = q.select().from(licenses).where(inArray(licenses.id, licenseIds.slice(i, i + 5000)));
    for (const r of await (lock ? query.for('update') : query)) lic.set(r.id, r);
  }
  for (let i = 0; i < deviceIds.length; i += 5000) {
    const query = q.select().from(devices).where(inArray(devices.id, deviceIds.slice(i, i + 5000)));
    for (const r of await (lock ? query.for('update') : query)) dev.set(r.id, r);
  }
  return { licenses: lic, devices: dev };
}

/** Moves assets to the destination. Licenses move whole (every minor line and all their quantity). */
export async function moveAssets(
  q: Q,
  licenseIds: number[],
  deviceIds: number[],
  smartAccountId: number,
  virtualAccountId: number,
): Promise<void> {
  for (let i = 0; i < licenseIds.length; i += 5000) {
    await q
      .update(licenses)
      .set({ smartAccountId, virtualAccountId })
      .where(inArray(licenses.id, licenseIds.slice(i, i + 5000)));
  }
  for (let i = 0; i < deviceIds.length; i += 5000) {
    await q
      .update(devices)
      .set({ smartAccountId, virtualAccountId })
      .where(inArray(devices.id, deviceIds.slice(i, i + 5000)));
  }
}

export interface AssetSearch {
  smartAccountId: number;
  virtualAccountId?: number | undefined;
  kind: 'license' | 'device';
  query?: string | undefined;
  limit: number;
}

/**
 * Typeahead and listing: prefix search on the identifiers users type (sales order, web order,
 * subscription, PAK, PID for licenses; serial, PID, host ID, UUID for devices), each served by an index.
 */
export async function searchLicenses(q: Q, s: AssetSearch): Promise<LicenseRow[]> {
  const conditions: SQL[] = [eq(licenses.smartAccountId, s.smartAccountId)];
  if (s.virtualAccountId !== undefined) conditions.push(eq(licenses.virtualAccountId, s.virtualAccountId));
  const term = s.query?.trim().replace(/^(so|wo|sub|pak):/i, '');
  if (term) {
    const p = `${escapeLike(term.toLowerCase())}%`;
    conditions.push(
      sql`(lower(${licenses.salesOrder}) like ${p} or lower(${licenses.webOrder}) like ${p} or lower(${licenses.subscriptionId}) like ${p} or lower(${licenses.pak}) like ${p} or lower(${licenses.pid}) like ${p} or lower(${licenses.description}) like ${'%' + escapeLike(term.toLowerCase()) + '%'})`,
    );
  }
  return q
    .select()
    .from(licenses)
    .where(and(...conditions))
    .orderBy(licenses.salesOrder, licenses.line)
    .limit(s.limit);
}

export async function searchDevices(q: Q, s: AssetSearch): Promise<DeviceRow[]> {
  const conditions: SQL[] = [eq(devices.smartAccountId, s.smartAccountId)];
  if (s.virtualAccountId !== undefined) conditions.push(eq(devices.virtualAccountId, s.virtualAccountId));
  const term = s.query?.trim().replace(/^sn:/i, '');
  if (term) {
    const upper = `${escapeLike(term.toUpperCase())}%`;
    const lower = `${escapeLike(term.toLowerCase())}%`;
    conditions.push(
      sql`(upper(${devices.serialNumber}) like ${upper} or lower(${devices.pid}) like ${lower} or lower(${devices.hostId}) like ${lower} or lower(${devices.uuid}) like ${lower})`,
    );
  }
  return q
    .select()
    .from(devices)
    .where(and(...conditions))
    .orderBy(devices.serialNumber)
    .limit(s.limit);
}
