import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { pgErrorCode, rowsOf, type Db } from '../../db/client.js';
import { history } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * On the embedded database, a query whose text comes back is parsed and planned once, kept by the
 * engine under a name, and then run in one exchange (db/pglite-statements.ts). What a caller sees must
 * not change: the same rows and types, the same errors, the same transactions.
 */
describe('statements kept by the embedded database', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    db = database.db;
  });
  afterAll(() => database.dispose());

  /** The statements the engine keeps, by their text. */
  const keptTexts = async () =>
    rowsOf<{ statement: string }>(await db.execute(sql`select statement from pg_prepared_statements`)).map(
      (r) => r.statement,
    );

  it('answers a query the same way the first time (parsed) and after (kept), once kept', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const ask = () =>
      db.execute(sql`select ${41}::int + 1 as n, ${at.toISOString()}::timestamptz as at,
        ${JSON.stringify({ é: ['日本', null] })}::jsonb as doc, array[${at.toISOString()}::timestamptz] as ats,
        ${null}::text as nothing, 'kept-test-1' as tag`);
    const first = rowsOf(await ask());
    const after = [rowsOf(await ask()), rowsOf(await ask()), rowsOf(await ask())];
    for (const rows of after) expect(rows).toEqual(first);
    expect(first[0]).toMatchObject({ n: 42, doc: { é: ['日本', null] }, nothing: null });
    const kept = (await keptTexts()).filter((text) => text.includes('kept-test-1'));
    expect(kept).toHaveLength(1);
  });

  it('keeps a query only once its text comes back, and never a schema change', async () => {
    await db.execute(sql`select 'kept-test-once' as tag`);
    await db.execute(sql.raw('create temporary table kept_test_ddl (a int)'));
    await db.execute(sql.raw('drop table kept_test_ddl'));
    await db.execute(sql.raw('create temporary table kept_test_ddl (a int)'));
    const kept = await keptTexts();
    expect(kept.filter((text) => text.includes('kept-test-once'))).toEqual([]);
    expect(kept.filter((text) => text.includes('kept_test_ddl'))).toEqual([]);
    await db.execute(sql.raw('drop table kept_test_ddl'));
  });

  /** The engine's error code of what `work` failed with (drizzle wraps it), or `none`. */
  const failure = async (work: Promise<unknown>) => {
    try {
      await work;
      return 'none';
    } catch (err) {
      return pgErrorCode(err);
    }
  };

  it('writes through a kept statement, counts the rows, and reports a refused row with its code', async () => {
    await db.execute(sql.raw('create temporary table kept_test_rows (action text primary key, note text)'));
    const insert = (action: string) =>
      db.execute(sql`insert into kept_test_rows (action) values (${action})`);
    for (const action of ['a', 'b', 'c']) await insert(action);
    const note = () => db.execute(sql`update kept_test_rows set note = ${'seen'} where action <> ${'z'}`);
    const counts = [await note(), await note(), await note()];
    expect(counts.map((c) => (c as { affectedRows?: number }).affectedRows)).toEqual([3, 3, 3]);
    // A row the table refuses, through the kept insert: the engine's error, with its code.
    expect(await failure(insert('a'))).toBe('23505');
    await insert('d');
    const rows = rowsOf<{ action: string }>(
      await db.execute(sql`select action from kept_test_rows order by 1`),
    );
    expect(rows.map((r) => r.action)).toEqual(['a', 'b', 'c', 'd']);
    // A value a kept statement's parameter refuses: its code, and the statement still works after.
    const cast = (n: unknown) => db.execute(sql`select ${n}::int as n, 'kept-test-refusal' as tag`);
    await cast(1);
    await cast(2);
    expect(await failure(cast('not a number'))).toBe('22P02');
    expect(rowsOf(await cast(3))).toEqual([{ n: 3, tag: 'kept-test-refusal' }]);
    await db.execute(sql.raw('drop table kept_test_rows'));
  });

  it('runs kept statements inside a transaction: they see its writes, and a rollback undoes them', async () => {
    const count = (q: Pick<Db, 'execute'>) =>
      q.execute(sql`select count(*)::int as n from history where actor = 'tx@example.com'`);
    await count(db);
    await count(db);
    await expect(
      db.transaction(async (tx) => {
        await tx
          .insert(history)
          .values({ at: new Date(), actor: 'tx@example.com', surface: 'cli', action: 'a' });
        expect(rowsOf(await count(tx))).toEqual([{ n: 1 }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(rowsOf(await count(db))).toEqual([{ n: 0 }]);
    // A statement that fails inside a transaction ends it, as any other would.
    expect(
      await failure(
        db.transaction(async (tx) => {
          await tx.execute(sql`select ${'x'}::int as n, 'kept-test-refusal' as tag`);
        }),
      ),
    ).toBe('22P02');
  });

  it('waits for a transaction in progress before running a kept statement outside it', async () => {
    const read = () =>
      db.execute(sql`select count(*)::int as n from history where actor = 'wait@example.com'`);
    await read();
    await read();
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    let asked!: () => void;
    const readAsked = new Promise<void>((resolve) => (asked = resolve));
    let readDone = false;
    let doneInside: boolean | undefined;
    const writing = db.transaction(async (tx) => {
      await tx
        .insert(history)
        .values({ at: new Date(), actor: 'wait@example.com', surface: 'cli', action: 'a' });
      inserted();
      await readAsked;
      // Once the read has been asked for, one more statement of this transaction: the engine runs
      // statements in the order they come, so a read that did not wait for the transaction would be
      // answered before it (inside the transaction, counting the row the rollback undoes).
      await new Promise((resolve) => setImmediate(resolve));
      await tx.execute(sql`select 1`);
      doneInside = readDone;
      throw new Error('undo');
    });
    await insertedOnce;
    const reading = read().finally(() => (readDone = true));
    asked();
    await expect(writing).rejects.toThrow('undo');
    expect(doneInside).toBe(false);
    expect(rowsOf(await reading)).toEqual([{ n: 0 }]);
  });

  it('parses a statement again after `discard all` dropped the ones kept', async () => {
    const ask = () => db.execute(sql`select ${7}::int as n, 'kept-test-discard' as tag`);
    await ask();
    await ask();
    expect((await keptTexts()).some((text) => text.includes('kept-test-discard'))).toBe(true);
    await db.execute(sql.raw('discard all'));
    expect(await keptTexts()).toEqual([]);
    expect(rowsOf(await ask())).toEqual([{ n: 7, tag: 'kept-test-discard' }]);
    expect(rowsOf(await ask())).toEqual([{ n: 7, tag: 'kept-test-discard' }]);
    // Dropped in a way the list does not see (the command behind a comment): the engine's answer that it
    // no longer knows the statement is enough to parse it again.
    await db.execute(sql.raw('/* elsewhere */ discard all'));
    expect(rowsOf(await ask())).toEqual([{ n: 7, tag: 'kept-test-discard' }]);
  });

  it('parses a statement again when the schema changed what it returns', async () => {
    await db.execute(sql.raw('create table kept_test_shape (a int)'));
    await db.execute(sql.raw('insert into kept_test_shape values (1)'));
    try {
      const ask = () => db.execute(sql`select * from kept_test_shape where ${true}`);
      await ask();
      expect(rowsOf(await ask())).toEqual([{ a: 1 }]);
      await db.execute(sql.raw('alter table kept_test_shape alter column a type text'));
      expect(rowsOf(await ask())).toEqual([{ a: '1' }]);
    } finally {
      await db.execute(sql.raw('drop table kept_test_shape'));
    }
  });
});
