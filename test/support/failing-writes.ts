import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Makes the database fail in the middle of every change until `heal` is called: each write appends to
 * the history inside its transaction, after the transfer itself was updated, so an error raised there
 * must undo the whole change. Returns `heal`.
 */
export async function failWrites(db: Db): Promise<() => Promise<void>> {
  await db.execute(
    sql.raw(`create or replace function test_fail_writes() returns trigger language plpgsql as $$
      begin raise exception 'simulated database failure'; end $$`),
  );
  await db.execute(
    sql.raw(
      'create trigger test_fail_writes before insert on history for each row execute function test_fail_writes()',
    ),
  );
  return async () => {
    await db.execute(sql.raw('drop trigger if exists test_fail_writes on history'));
  };
}

/**
 * Makes every read of `table` fail until `heal` is called, by renaming it: for a failure that comes after
 * a change has committed, when its result is read back (a change that does not touch the table still
 * goes through). Returns `heal`.
 */
export async function failReadsOf(db: Db, table: 'transfer_items'): Promise<() => Promise<void>> {
  await db.execute(sql.raw(`alter table ${table} rename to ${table}_out_of_reach`));
  return async () => {
    await db.execute(sql.raw(`alter table if exists ${table}_out_of_reach rename to ${table}`));
  };
}
