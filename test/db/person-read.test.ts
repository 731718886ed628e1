import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { rowsReadBy } from '../support/rows-read.js';

const PEOPLE = 3_000;

/**
 * Every request reads the person acting, and every message its recipient, each with their ids on every
 * platform. Those ids are looked up by the person, whoever else is in the inventory: before the index led
 * with the person, a server before PostgreSQL 18 read every identity for each person (1.66 ms a read at
 * 20,000 people on PostgreSQL 15, 0.32 ms since). Counted by PostgreSQL itself (`rowsReadBy`). The server
 * is where the old index shows (6,000 rows read); the embedded PostgreSQL 18 can skip along it.
 */
describe.each(drivers)('a person read among many (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.db.execute(sql`
      insert into users (email, name, locale, time_zone)
      select 'person' || g || '@many.example', 'Person ' || g, 'en', 'UTC' from generate_series(1, ${PEOPLE}) g`);
    await database.db.execute(sql`
      insert into user_identities (platform, external_id, user_id)
      select p.platform, p.prefix || u.id, u.id from users u
      cross join (values ('slack', 'U'), ('teams', '29:')) as p(platform, prefix)
      where u.email like '%@many.example'`);
    // As the bot's own refresh (embedded) and autovacuum (a server) leave them: a database given back by an
    // earlier test keeps that test's statistics, and a plan made from them reads what it likes.
    await database.db.execute(sql`analyze users, user_identities`);
  });
  afterAll(() => database.dispose());

  it('gives their ids on every platform, reading only their own', async () => {
    const [someone] = rowsOf<{ id: number }>(
      await database.db.execute(sql`select id from users where email = 'person1234@many.example'`),
    );
    const { value: person, rowsRead } = await rowsReadBy(database.db, 'user_identities', (tx) =>
      createStore(tx).users.findUser({ id: someone!.id }),
    );
    expect(person?.identities).toEqual({
      slack: expect.stringMatching(/^U\d+$/),
      teams: expect.stringMatching(/^29:\d+$/),
    });
    expect(rowsRead).toBeGreaterThan(0);
    expect(rowsRead).toBeLessThanOrEqual(10);
  });
});
