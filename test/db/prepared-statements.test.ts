import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { anyOf, idList } from '../../db/bulk-writes.js';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { rowsOf, UnsafeParameterError, type Q } from '../../db/client.js';
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
 * The queries every click and card runs are built once (db/prepared.ts `builtOnce`) and run on the
 * connection of wherever they are used: the pool, a transaction (which sees what it wrote), another
 * database of the same driver (each answers from its own rows).
 */
describe.each(drivers)('queries built once (%s)', (driver) => {
  let database: TestDatabase;
  let other: TestDatabase;
  const at = new Date('2026-01-02T03:04:05.678Z');
  const written = (actions: string[]) =>
    actions.map((action) => ({ at, actor: 'x@example.com', surface: 'cli', action }));

  beforeAll(async () => {
    [database, other] = await Promise.all([createTestDatabase(driver), createTestDatabase(driver)]);
    await database.db.insert(history).values(written(['a', 'b', 'c']));
    await other.db.insert(history).values(written(['other']));
  });
  afterAll(async () => {
    await database.dispose();
    await other.dispose();
  });

  /** History rows by id; counts how often the query is built. */
  function historyByIds() {
    let builds = 0;
    const query = builtOnce('test history by ids', (q: Q) => {
      builds += 1;
      return q
        .select({ id: history.id, action: history.action, at: history.at })
        .from(history)
        .where(anyOf(history.id, sql.placeholder('ids'), 'integer'))
        .orderBy(history.id);
    });
    return { query, builds: () => builds };
  }

  it('on the pool: built once, each call answered with its own values, rows read as any query reads them', async () => {
    const db = database.db;
    const { query, builds } = historyByIds();
    const byIds = query.on(db);
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
    expect(await query.on(db)({ ids: idList([-1]) })).toEqual([]);
    expect(builds()).toBe(1);
  });

  it('in a transaction: sees the transaction’s own rows, and nothing of them once it rolled back', async () => {
    const db = database.db;
    const { query, builds } = historyByIds();
    const onPool = query.on(db);
    let inside: unknown[] = [];
    let ids = '';
    await expect(
      db.transaction(async (tx) => {
        const [made] = await tx
          .insert(history)
          .values(written(['d']))
          .returning({ id: history.id });
        ids = idList([made!.id]);
        // Built on the pool first: the transaction runs the same query on its own connection.
        if (driver === 'postgres') expect(await onPool({ ids })).toEqual([]);
        inside = await query.on(tx)({ ids });
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
    // The pool again (on PGlite, first used in the transaction): the row rolled back is not there.
    expect(await onPool({ ids })).toEqual([]);
    expect(builds()).toBe(1);
  });

  it('runs with the logger of the database it is used on, which refuses unsafe text', async () => {
    const { query } = historyByIds();
    await expect(query.on(database.db)({ ids: 'nul \u0000' })).rejects.toThrow(UnsafeParameterError);
    // The same client under a drizzle of its own, whose logger records: the query is logged there.
    const logged: string[] = [];
    const logger = { logQuery: (text: string) => void logged.push(text) };
    const client = (database.db as unknown as { session: { client: unknown } }).session.client;
    const other =
      driver === 'pglite'
        ? drizzlePglite(client as PGlite, { logger })
        : drizzlePostgres(client as Sql, { logger });
    expect(await query.on(other as unknown as Q)({ ids: idList([-1]) })).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('from "history"');
  });

  it('on two databases of the same driver: each answers from its own rows', async () => {
    const { query, builds } = historyByIds();
    const [mine] = await database.db.select({ id: history.id }).from(history).orderBy(history.id).limit(1);
    const [theirs] = await other.db.select({ id: history.id }).from(history);
    const ids = idList([mine!.id, theirs!.id]);
    expect((await query.on(database.db)({ ids })).map((r) => r.action)).toContain('a');
    expect((await query.on(other.db)({ ids })).map((r) => r.action)).toEqual(['other']);
    expect((await query.on(database.db)({ ids })).map((r) => r.action)).not.toContain('other');
    expect(builds()).toBe(1);
  });
});
