import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import postgres from 'postgres';
import {
  createTestDatabase,
  drivers,
  SPARE_DATABASES_PER_WORKER,
  type Driver,
  type TestDatabase,
} from '../support/db.js';
import { failWrites } from '../support/failing-writes.js';
import { awaitingConsent } from '../support/transfers.js';
import { seedWorld, testDeps } from '../support/world.js';

/** Rows in every table of the database, by table. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(
      sql.raw(`select format('%I.%I', schemaname, tablename) as name from pg_tables
                where schemaname not in ('pg_catalog', 'information_schema') order by 1`),
    ),
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = rowsOf<{ n: string | number }>(
      await db.execute(sql.raw(`select count(*) as n from ${name}`)),
    );
    counts[name] = Number(row?.n);
  }
  return counts;
}

// The databases a test is given come from a pool in each worker (test/support/db.ts), embedded or on the
// server: these check that one given back is, for the next test, what a fresh copy of the template is.
describe.each(drivers)('test databases given back and given again (%s)', (driver: Driver) => {
  const held: TestDatabase[] = [];
  // Given back after each test, so that the next one takes them as spares rather than opening more.
  afterEach(async () => {
    for (const database of held.splice(0)) await database.dispose();
  });

  /** A database opened for this test, with no spare one left in the worker to hand out after it. */
  async function withNoSpares(): Promise<TestDatabase> {
    for (let i = 0; i < SPARE_DATABASES_PER_WORKER; i++) held.push(await createTestDatabase(driver));
    return createTestDatabase(driver);
  }

  it('comes back empty, its counters restarted and its guards on, after a whole request was made in it', async () => {
    const first = await withNoSpares();
    const fresh = await rowCounts(first.db);
    await seedWorld(first.db);
    const deps = testDeps(first.db);
    const id = await awaitingConsent(deps, 'SO:100-1');
    const before = await rowCounts(first.db);
    expect(before['public.history']).toBeGreaterThan(0);
    expect(before['public.outbox']).toBeGreaterThan(0);
    const [{ firstUser } = { firstUser: 0 }] = rowsOf<{ firstUser: number }>(
      await first.db.execute(sql.raw('select min(id) as "firstUser" from users')),
    );
    await first.dispose();

    const next = await createTestDatabase(driver);
    held.push(next);
    expect(next.where).toBe(first.where); // the same folder or database, given again
    expect(await rowCounts(next.db)).toEqual(fresh);
    await seedWorld(next.db);
    const [{ again } = { again: 0 }] = rowsOf<{ again: number }>(
      await next.db.execute(sql.raw('select min(id) as again from users')),
    );
    expect(again).toBe(firstUser);
    // The same asset can be asked for again (a request still open on it would refuse this one), and
    // history stays append-only: the reset's way round that guard ended with the reset.
    const second = await awaitingConsent(testDeps(next.db), 'SO:100-1');
    expect(second).not.toBe(id);
    await expect(
      next.db.execute(sql.raw(`delete from history where transfer_id = '${second}'`)),
    ).rejects.toThrow();
  });

  it('is not given again when a test changed more than rows: the next one has no trace of the change', async () => {
    const first = await withNoSpares();
    await failWrites(first.db); // a trigger left behind, never healed
    await first.dispose();

    const next = await createTestDatabase(driver);
    held.push(next);
    expect(next.where).not.toBe(first.where);
    const triggers = rowsOf<{ tgname: string }>(
      await next.db.execute(sql.raw(`select tgname from pg_trigger where tgname = 'test_fail_writes'`)),
    );
    expect(triggers).toEqual([]);
  });

  // An embedded engine a test closed cannot be used again; on the server the next test gets a pool of its own.
  it.runIf(driver === 'pglite')('is not given again when the test closed it itself', async () => {
    const first = await withNoSpares();
    await first.close();
    await first.dispose();

    const next = await createTestDatabase(driver);
    held.push(next);
    expect(next.where).not.toBe(first.where);
    expect(await next.ping()).toBe(true);
  });

  it.runIf(driver === 'postgres')(
    'is not given again while a session the test opened is still on it',
    async () => {
      const first = await withNoSpares();
      const left = postgres(first.url!, { max: 1, onnotice: () => undefined });
      try {
        await left`select 1`;
        await first.dispose();
        const next = await createTestDatabase(driver);
        held.push(next);
        expect(next.where).not.toBe(first.where);
        expect(await next.ping()).toBe(true);
        // The one left behind was dropped, not kept: its session was ended with it.
        await expect(left`select 1`).rejects.toThrow();
      } finally {
        await left.end({ timeout: 1 });
      }
    },
  );
});
