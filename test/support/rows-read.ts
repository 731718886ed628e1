import { sql, TransactionRollbackError } from 'drizzle-orm';
import { rowsOf, type Db, type Q } from '../../db/client.js';

/**
 * `work` in a transaction rolled back afterwards, with the rows it read from `table` as PostgreSQL itself
 * counts them (the transaction's own statistics): from the table and through its indexes. A count, not a
 * time, so a test of how much a query reads holds whatever the machine's speed.
 */
export async function rowsReadBy<T>(
  db: Db,
  table: string,
  work: (tx: Q) => Promise<T>,
): Promise<{ value: T; rowsRead: number }> {
  let counted: { value: T; rowsRead: number } | undefined;
  await db
    .transaction(async (tx) => {
      const value = await work(tx);
      const [stats] = rowsOf<{ n: string }>(
        await tx.execute(sql`
          select (pg_stat_get_xact_tuples_returned(${table}::regclass)
                  + (select coalesce(sum(pg_stat_get_xact_tuples_returned(indexrelid)), 0) from pg_index
                     where indrelid = ${table}::regclass))::text as n`),
      );
      counted = { value, rowsRead: Number(stats?.n) };
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  return counted!;
}
