import { sql } from 'drizzle-orm';
import type { InventoryCensus, Unlinked } from '../src/app/ports/inventory.js';
import type { Q } from './client.js';
import { query } from './inventory-upserts.js';

/** Counts of each list of the inventory, in one statement. */
export async function inventoryCensus(q: Q): Promise<InventoryCensus> {
  const [row] = await query<Record<keyof InventoryCensus, number | string>>(
    q,
    sql`select
      (select count(*) from legal_entities) as "legalEntities",
      (select count(*) from smart_accounts) as "smartAccounts",
      (select count(*) from virtual_accounts) as "virtualAccounts",
      (select count(*) from users) as "users",
      (select count(*) from licenses) as "licenses",
      (select count(*) from devices) as "devices"`,
  );
  // count(*) is a bigint: postgres.js hands it over as text.
  const n = (key: keyof InventoryCensus) => Number(row?.[key] ?? 0);
  return {
    legalEntities: n('legalEntities'),
    smartAccounts: n('smartAccounts'),
    virtualAccounts: n('virtualAccounts'),
    users: n('users'),
    licenses: n('licenses'),
    devices: n('devices'),
  };
}

/** People with no row in user_identities: the bot can reach them only once they are matched by e-mail. */
export async function unlinkedPeople(q: Q, limit: number): Promise<Unlinked> {
  const rows = await query<{ email: string; total: number | string }>(
    q,
    sql`select u.email, count(*) over () as total
        from users u
        where not exists (select 1 from user_identities i where i.user_id = u.id)
        order by lower(u.email)
        limit ${Math.max(1, limit)}`,
  );
  return { count: Number(rows[0]?.total ?? 0), emails: rows.slice(0, limit).map((r) => r.email) };
}
