import { and, count, eq, ilike, or, sql } from 'drizzle-orm';
import type { AccountRepository } from '../src/app/ports/accounts.js';
import { anyOf, idList } from './bulk-writes.js';
import type { Q } from './client.js';
import { builtOnce } from './prepared.js';
import { devices, legalEntities, licenses, smartAccounts, virtualAccounts } from './schema.js';

/** A Smart Account as the domain sees it (SmartAccountRef). */
const SA_COLUMNS = {
  id: smartAccounts.id,
  domain: smartAccounts.domain,
  name: smartAccounts.name,
  legalEntityId: smartAccounts.legalEntityId,
};

const VIRTUAL_BY_IDS = builtOnce('virtual accounts', (q) =>
  q
    .select()
    .from(virtualAccounts)
    .where(anyOf(virtualAccounts.id, sql.placeholder('ids'), 'integer')),
);

/** Smart Accounts among `ids` whose name or domain contains the query. */
function searchCondition(ids: readonly number[] | 'all', query: string | undefined) {
  const conditions = [];
  if (ids !== 'all') conditions.push(anyOf(smartAccounts.id, ids, 'integer'));
  if (query) {
    const pattern = `%${escapeLike(query)}%`;
    conditions.push(or(ilike(smartAccounts.name, pattern), ilike(smartAccounts.domain, pattern)));
  }
  return and(...conditions);
}

export function accountRepository(q: Q): AccountRepository {
  const virtualByIds = VIRTUAL_BY_IDS.on(q);
  const accounts: AccountRepository = {
    async findSmartAccount(domain) {
      const [row] = await q
        .select(SA_COLUMNS)
        .from(smartAccounts)
        .where(sql`lower(${smartAccounts.domain}) = lower(${domain})`);
      return row;
    },

    async smartAccountsByIds(ids) {
      if (ids.length === 0) return new Map();
      const rows = await q
        .select(SA_COLUMNS)
        .from(smartAccounts)
        .where(anyOf(smartAccounts.id, ids, 'integer'));
      return new Map(rows.map((row) => [row.id, row]));
    },

    async searchSmartAccounts(ids, query, limit) {
      if (ids !== 'all' && ids.length === 0) return [];
      return q
        .select(SA_COLUMNS)
        .from(smartAccounts)
        .where(searchCondition(ids, query))
        .orderBy(smartAccounts.name)
        .limit(limit);
    },

    async countMatchingSmartAccounts(ids, query) {
      if (ids !== 'all' && ids.length === 0) return 0;
      const [row] = await q.select({ n: count() }).from(smartAccounts).where(searchCondition(ids, query));
      return Number(row?.n ?? 0);
    },

    async countSmartAccounts() {
      const [row] = await q.select({ n: count() }).from(smartAccounts);
      return Number(row?.n ?? 0);
    },

    async findVirtualAccount(smartAccountId, name) {
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
    },

    async virtualAccountsOf(smartAccountIds) {
      if (smartAccountIds.length === 0) return [];
      return q
        .select()
        .from(virtualAccounts)
        .where(anyOf(virtualAccounts.smartAccountId, smartAccountIds, 'integer'))
        .orderBy(virtualAccounts.smartAccountId, virtualAccounts.name);
    },

    async virtualAccountsByIds(ids) {
      if (ids.length === 0) return new Map();
      const rows = await virtualByIds({ ids: idList(ids) });
      return new Map(rows.map((row) => [row.id, row]));
    },

    async findLegalEntity(id) {
      if (!id) return undefined;
      const [row] = await q.select().from(legalEntities).where(eq(legalEntities.id, id));
      return row;
    },

    async assetCounts(smartAccountIds) {
      if (smartAccountIds.length === 0) return [];
      const ids = [...smartAccountIds];
      const [licenseCounts, deviceCounts, vas] = await Promise.all([
        q
          .select({ virtualAccountId: licenses.virtualAccountId, n: sql<number>`count(*)::int` })
          .from(licenses)
          .where(anyOf(licenses.smartAccountId, ids, 'integer'))
          .groupBy(licenses.virtualAccountId),
        q
          .select({ virtualAccountId: devices.virtualAccountId, n: sql<number>`count(*)::int` })
          .from(devices)
          .where(anyOf(devices.smartAccountId, ids, 'integer'))
          .groupBy(devices.virtualAccountId),
        accounts.virtualAccountsOf(ids),
      ]);
      const licensesIn = new Map(licenseCounts.map((row) => [row.virtualAccountId, Number(row.n)]));
      const devicesIn = new Map(deviceCounts.map((row) => [row.virtualAccountId, Number(row.n)]));
      return vas.map((va) => ({
        smartAccountId: va.smartAccountId,
        virtualAccountId: va.id,
        licenses: licensesIn.get(va.id) ?? 0,
        devices: devicesIn.get(va.id) ?? 0,
      }));
    },
  };
  return accounts;
}

/** A LIKE pattern that matches `text` literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
