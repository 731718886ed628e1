import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { anyOf, idList } from '../../db/bulk-writes.js';
import { rowsOf, type Q } from '../../db/client.js';
import { builtOnce, PREPARED_PARAMETER_LIMIT } from '../../db/prepared.js';
import { history, users } from '../../db/schema.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

/**
 * On a PostgreSQL server each query is prepared once per connection and executed by name afterwards
 * (db/prepared.ts): one round trip per query instead of two. Queries whose text grows with their
 * parameters are left unprepared, so a connection does not keep one statement per size.
 */
describe.runIf(drivers.includes('postgres'))('prepared statements on a server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.dispose());

  it('prepares a query on its connection and reads the same rows by name the second time', async () => {
    const few = [1, 2, 3];
    const many = Array.from({ length: PREPARED_PARAMETER_LIMIT + 1 }, (_, i) => i + 1);
    // One transaction: one connection, whose prepared statements pg_prepared_statements shows.
    const seen = await database.db.transaction(async (tx) => {
      const first = await tx.select({ id: users.id }).from(users).where(inArray(users.id, few));
      const second = await tx.select({ id: users.id }).from(users).where(inArray(users.id, few));
      await tx.select({ id: users.id }).from(users).where(inArray(users.id, many));
      const statements = rowsOf<{ statement: string }>(
        await tx.execute(sql`select statement from pg_prepared_statements`),
      ).map((r) => r.statement);
      return { first, second, statements };
    });
    expect(seen.second).toEqual(seen.first);
    const ofUsers = seen.statements.filter((s) => s.startsWith('select "id" from "users"'));
    expect(ofUsers).toHaveLength(1);
    expect(ofUsers[0]).toContain('($1, $2, $3)');
  });
});

/**
 * The queries every click and card runs are built once (db/prepared.ts `builtOnce`): on the pool, the
 * same prepared query answers every call with its own values; in a transaction, the query is built again
 * and goes through the transaction's connection, so it sees what the transaction wrote.
 */
describe.each(drivers)('queries built once (%s)', (driver) => {
  let database: TestDatabase;
  const at = new Date('2026-01-02T03:04:05.678Z');

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.db
      .insert(history)
      .values(['a', 'b', 'c'].map((action) => ({ at, actor: 'x@example.com', surface: 'cli', action })));
  });
  afterAll(() => database.dispose());

  const rowsBuilder = (q: Q) => () =>
    q
      .select({ id: history.id, action: history.action, at: history.at })
      .from(history)
      .where(anyOf(history.id, sql.placeholder('ids'), 'integer'))
      .orderBy(history.id);

  it('on the pool: built once, each call answered with its own values, rows read as any query reads them', async () => {
    const db = database.db;
    let builds = 0;
    const build = rowsBuilder(db);
    const byIds = builtOnce(db, 'test history', () => {
      builds += 1;
      return build();
    });
    const [a, b, c] = (await db.select({ id: history.id }).from(history).orderBy(history.id)).map(
      (r) => r.id,
    );
    expect(await byIds({ ids: idList([b!, b!, a!]) })).toEqual(
      await db
        .select({ id: history.id, action: history.action, at: history.at })
        .from(history)
        .where(sql`${history.id} in (${a}, ${b})`)
        .orderBy(history.id),
    );
    expect(await byIds({ ids: idList([c!]) })).toEqual([{ id: c, action: 'c', at }]);
    expect(await byIds({ ids: idList([-1]) })).toEqual([]);
    expect(builds).toBe(1);
  });

  it('in a transaction: sees the transaction’s own rows, and nothing of them once it rolled back', async () => {
    const db = database.db;
    const onPool = builtOnce(db, 'test history', rowsBuilder(db));
    let inside: unknown[] = [];
    await expect(
      db.transaction(async (tx) => {
        const [made] = await tx
          .insert(history)
          .values({ at, actor: 'x@example.com', surface: 'cli', action: 'd' })
          .returning({ id: history.id });
        inside = await builtOnce(tx, 'test history', rowsBuilder(tx))({ ids: idList([made!.id]) });
        // Outside the transaction (on the server, another connection of the pool) the row is not there yet.
        if (driver === 'postgres') expect(await onPool({ ids: idList([made!.id]) })).toEqual([]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(inside).toMatchObject([{ action: 'd', at }]);
    expect(
      await db
        .select()
        .from(history)
        .where(sql`${history.action} = 'd'`),
    ).toEqual([]);
  });
});
