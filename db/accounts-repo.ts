import { and, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { SmartAccountRef, VirtualAccountRef } from '../src/domain/types.js';
import type { Q } from './client.js';
import { devices, legalEntities, licenses, smartAccounts, virtualAccounts } from './schema.js';

export type LegalEntityRow = typeof legalEntities.$inferSelect;

/** A Smart Account as the domain sees it (SmartAccountRef). */
const SA_COLUMNS = {
  id: smartAccounts.id,
  domain: smartAccounts.domain,
  name: smartAccounts.name,
  legalEntityId: smartAccounts.legalEntityId,
};

export async function findSmartAccount(q: Q, domain: string): Promise<SmartAccountRef | undefined> {
  const [row] = await q
    .select(SA_COLUMNS)
    .from(smartAccounts)
    .where(sql`lower(${smartAccounts.domain}) = lower(${domain})`);
  return row;
}

export async function smartAccountsByIds(q: Q, ids: number[]): Promise<Map<number, SmartAccountRef>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .select(SA_COLUMNS)
    .from(smartAccounts)
    .where(inArray(smartAccounts.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function findVirtualAccount(
  q: Q,
  smartAccountId: number,
  name: string,
): Promise<VirtualAccountRef | undefined> {
  const [row] = await q
    .select()
    .from(virtualAccounts)
    .where(
      and(
        eq(virtualAccounts.smartAccountId, smartAccountId),
        sql`lower(${virtualAccounts.name}) = lower(${name})`,
      ),
    );
  return row;
}

export async function virtualAccountsOf(q: Q, smartAccountIds: number[]): Promise<VirtualAccountRef[]> {
  if (smartAccountIds.length === 0) return [];
  return q
    .select()
    .from(virtualAccounts)
    .where(inArray(virtualAccounts.smartAccountId, smartAccountIds))
    .orderBy(virtualAccounts.smartAccountId, virtualAccounts.name);
}

export async function virtualAccountsByIds(q: Q, ids: number[]): Promise<Map<number, VirtualAccountRef>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .select()
    .from(virtualAccounts)
    .where(inArray(virtualAccounts.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function findLegalEntity(q: Q, id: string | null): Promise<LegalEntityRow | undefined> {
  if (!id) return undefined;
  const [row] = await q.select().from(legalEntities).where(eq(legalEntities.id, id));
  return row;
}

/** Smart Accounts among `ids` whose name or domain contains the query (all of them without a query). */
export async function searchSmartAccounts(
  q: Q,
  ids: number[] | 'all',
  query: string | undefined,
  limit = 100,
): Promise<SmartAccountRef[]> {
  const conditions = [];
  if (ids !== 'all') {
    if (ids.length === 0) return [];
    conditions.push(inArray(smartAccounts.id, ids));
  }
  if (query) {
    const pattern = `%${escapeLike(query)}%`;
    conditions.push(or(ilike(smartAccounts.name, pattern), ilike(smartAccounts.domain, pattern)));
  }
  return q
    .select(SA_COLUMNS)
    .from(smartAccounts)
    .where(and(...conditions))
    .orderBy(smartAccounts.name)
    .limit(limit);
}

export interface AssetCounts {
  smartAccountId: number;
  virtualAccountId: number;
  licenses: number;
  devices: number;
}

/** License and device counts per Virtual Account ("show counts"). */
export async function assetCounts(q: Q, smartAccountIds: number[]): Promise<AssetCounts[]> {
  if (smartAccountIds.length === 0) return [];
  const [lic, dev] = await Promise.all([
    q
      .select({ va: licenses.virtualAccountId, n: sql<number>`count(*)::int` })
      .from(licenses)
      .where(inArray(licenses.smartAccountId, smartAccountIds))
      .groupBy(licenses.virtualAccountId),
    q
      .select({ va: devices.virtualAccountId, n: sql<number>`count(*)::int` })
      .from(devices)
      .where(inArray(devices.smartAccountId, smartAccountIds))
      .groupBy(devices.virtualAccountId),
  ]);
  const vas = await virtualAccountsOf(q, smartAccountIds);
  const licBy = new Map(lic.map((r) => [r.va, Number(r.n)]));
  const devBy = new Map(dev.map((r) => [r.va, Number(r.n)]));
  return vas.map((va) => ({
    smartAccountId: va.smartAccountId,
    virtualAccountId: va.id,
    licenses: licBy.get(va.id) ?? 0,
    devices: devBy.get(va.id) ?? 0,
  }));
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
