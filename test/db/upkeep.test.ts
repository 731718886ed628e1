import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

/** What the planner knows of the outbox: the rows it counts, and when it last looked. */
async function plannerView(database: TestDatabase): Promise<{ rows: number; analyzed: boolean }> {
  const [row] = rowsOf<{ rows: number; analyzed: boolean }>(
    await database.db.execute(sql`
      select c.reltuples::float8 as rows, s.last_analyze is not null as analyzed
      from pg_class c join pg_stat_user_tables s on s.relid = c.oid
      where c.oid = 'public.outbox'::regclass`),
  );
  return { rows: Number(row?.rows), analyzed: row?.analyzed === true };
}

/** The outbox's size on disk, its indexes included, in pages of 8 KiB. */
async function outboxPages(database: TestDatabase): Promise<number> {
  const [row] = rowsOf<{ pages: number }>(
    await database.db.execute(sql`select (pg_total_relation_size('public.outbox') / 8192)::int as pages`),
  );
  return Number(row?.pages);
}

/** 1,000 messages written, delivered and forgotten, as a busy hour leaves the outbox. */
async function churn(database: TestDatabase, round: number): Promise<void> {
  await database.db.execute(sql`
    insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload)
    select 'churn:' || ${round}::int || ':' || g, now(), now(), g % 50 + 1, '{"type":"message"}'::jsonb
    from generate_series(1, 1000) g`);
  await database.db.execute(sql`update outbox set state = 'sent', sent_at = now() where state = 'pending'`);
  await database.db.execute(sql`delete from outbox`);
}

/**
 * The embedded database has no autovacuum: the bot does its work itself, on each tick of the scheduler
 * and after an import (src/schedule/jobs.ts, adapters/cli/main.ts). Without the statistics, the typeahead
 * over an inventory of 1,000,000 assets took 326 ms at p99 instead of 14 ms; without the vacuum, a table
 * keeps every row it ever held on disk.
 */
describe.each(drivers)('the database’s upkeep (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.dispose());

  it(
    driver === 'pglite'
      ? 'gathers the statistics of a table once it has changed enough, and not again until it changes more'
      : "is left to the server's autovacuum",
    async () => {
      await database.db.execute(sql`
        insert into outbox (dedupe_key, created_at, due_at, payload)
        select 'statistics:' || g, now(), now(), '{}'::jsonb from generate_series(1, 5000) g`);
      if (driver === 'postgres') {
        expect(await database.upkeep()).toEqual({ vacuumed: [], analyzed: [] });
        return;
      }
      const done = await database.upkeep();
      expect(done.analyzed).toContain('public.outbox');
      expect(await plannerView(database)).toEqual({ rows: 5000, analyzed: true });
      // A few more rows are not enough for another look.
      await database.db.execute(sql`
        insert into outbox (dedupe_key, created_at, due_at, payload)
        select 'statistics:more:' || g, now(), now(), '{}'::jsonb from generate_series(1, 10) g`);
      const changed = async () =>
        rowsOf<{ n: number }>(
          await database.db.execute(sql`
            select n_mod_since_analyze::int as n from pg_stat_user_tables where relid = 'public.outbox'::regclass`),
        )[0]?.n;
      expect((await database.upkeep()).analyzed).not.toContain('public.outbox');
      // Counted, and left for later.
      expect(await changed()).toBe(10);
      await database.db.execute(sql`delete from outbox`);
    },
  );

  it.runIf(driver === 'pglite')(
    'vacuums a table whose rows were deleted, so its space is used again instead of growing',
    async () => {
      await database.upkeep();
      await churn(database, 0);
      const firstRound = await outboxPages(database);
      expect((await database.upkeep()).vacuumed).toContain('public.outbox');
      // Four more busy hours, the upkeep run after each, as the scheduler's minute tick would.
      for (let round = 1; round < 5; round++) {
        await churn(database, round);
        await database.upkeep();
      }
      // Without it: five times the first round's pages, for an outbox that holds nothing (90 MiB once
      // 200,000 messages had gone through).
      expect(await outboxPages(database)).toBeLessThanOrEqual(firstRound * 1.25);
      // Nothing left to do for it until it changes again.
      expect((await database.upkeep()).vacuumed).not.toContain('public.outbox');
    },
  );
});
