import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { rowsReadBy } from '../support/rows-read.js';
import { seedWorld } from '../support/world.js';

const HELD = 5_000;
const DELIVERED = 5_000;

/**
 * A statement the server has run a few times on a connection may get one plan for every value (a generic
 * plan), and such a plan can use a partial index only when the query states the index's condition itself,
 * not as a parameter. Every request and review asks which of its assets an open transaction already holds,
 * through the partial index of open items: asked `open = $2`, a generic plan read every item of every
 * transaction for the assets asked. The metrics' count of messages waiting, through the partial index of
 * pending messages: asked `state = $1`, it read every message kept (90 days of them by default). Counted by
 * the server itself (`rowsReadBy`), with each kind of plan forced in turn.
 */
describe.each(drivers)('statements answered by a partial index, among many rows (%s)', (driver) => {
  let database: TestDatabase;
  let held: string[];
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    await database.db.execute(sql`
      insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, quantity, license_type)
      select v.smart_account_id, v.id, '900' || g, '1', 'C9300-DNA-E-24-3Y', 1, 'smart'
      from generate_series(1, ${HELD}) g, (select * from virtual_accounts order by id limit 1) v`);
    await database.db.execute(sql`
      insert into transfers (id, status, requester_id, source_smart_account_id, destination_smart_account_id,
                             destination_virtual_account_id, same_company_answer, same_legal_entity, surface,
                             created_at, updated_at)
      select 'AT-HELDMANY', 'awaiting_consent', u.id, l.smart_account_id, v.smart_account_id, v.id, true, true,
             'console', now(), now()
      from users u, licenses l, virtual_accounts v
      where v.smart_account_id <> l.smart_account_id
      limit 1`);
    await database.db.execute(sql`
      insert into transfer_items (transfer_id, kind, license_id, asset_key, ref)
      select 'AT-HELDMANY', 'license', l.id, 'license:' || l.id, 'SO:' || l.sales_order || '-' || l.line
      from licenses l
      where l.smart_account_id = (select source_smart_account_id from transfers where id = 'AT-HELDMANY')`);
    await database.db.execute(sql`analyze transfer_items`);
    await database.db.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state, sent_at)
      select 'm:' || g, now(), now(), (select min(id) from users), jsonb_build_object('type', 'message'),
             (case when g % 100 = 0 then 'pending' else 'sent' end)::outbox_state,
             case when g % 100 <> 0 then now() end
      from generate_series(1, ${DELIVERED}) g`);
    // A database an earlier test gave back keeps its indexes' size (a vacuum does not shrink them): rebuilt,
    // so that the plans weigh the rows this file wrote, not what an earlier one left.
    await database.db.execute(sql`reindex table outbox`);
    await database.db.execute(sql`reindex table transfer_items`);
    await database.db.execute(sql`vacuum analyze outbox`);
    held = rowsOf<{ key: string }>(
      await database.db.execute(sql`select asset_key as key from transfer_items order by id limit 10`),
    ).map((row) => row.key);
  });
  afterAll(() => database.dispose());

  const plans = ['force_custom_plan', 'force_generic_plan'];

  it('reads only the items of the assets asked, whichever plan the server keeps', async () => {
    const items = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from transfer_items where open`),
    )[0]!.n;
    expect(items).toBeGreaterThanOrEqual(HELD);
    for (const mode of plans) {
      const { value, rowsRead } = await rowsReadBy(database.db, 'transfer_items', async (tx) => {
        await tx.execute(sql.raw(`set local plan_cache_mode = ${mode}`));
        return createStore(tx).assets.heldBy([...held, 'license:0']);
      });
      expect([...value.keys()].sort(), mode).toEqual([...held].sort());
      expect(new Set(value.values()), mode).toEqual(new Set(['AT-HELDMANY']));
      expect(rowsRead, mode).toBeLessThanOrEqual(2 * held.length);
    }
  });

  it('counts the messages waiting from those alone, whichever plan the server keeps', async () => {
    for (const mode of plans) {
      const { value, rowsRead } = await rowsReadBy(database.db, 'outbox', async (tx) => {
        await tx.execute(sql.raw(`set local plan_cache_mode = ${mode}`));
        return createStore(tx).outbox.pendingCount();
      });
      expect(value, mode).toBe(DELIVERED / 100);
      expect(rowsRead, mode).toBeLessThanOrEqual(2 * (DELIVERED / 100));
    }
  });
});
