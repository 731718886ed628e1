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

/**
 * The embedded database has no autovacuum: the bot gathers its planner's statistics itself, on each
 * tick of the scheduler and after an import (src/schedule/jobs.ts, adapters/cli/main.ts). Without them,
 * the typeahead over an inventory of 1,000,000 assets took 326 ms at p99 instead of 14 ms.
 */
describe.each(drivers)("the planner's statistics (%s)", (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.dispose());

  it(
    driver === 'pglite'
      ? 'are gathered for a table once it has changed enough, and not again until it changes more'
      : "are left to the server's autovacuum",
    async () => {
      await database.db.execute(sql`
        insert into outbox (dedupe_key, created_at, due_at, payload)
        select 'statistics:' || g, now(), now(), '{}'::jsonb from generate_series(1, 5000) g`);
      if (driver === 'postgres') {
        expect(await database.refreshStatistics()).toEqual([]);
        return;
      }
      const analyzed = await database.refreshStatistics();
      expect(analyzed).toContain('public.outbox');
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
      expect(await database.refreshStatistics()).not.toContain('public.outbox');
      // Counted, and left for later.
      expect(await changed()).toBe(10);
    },
  );
});
