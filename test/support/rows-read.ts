import { sql, TransactionRollbackError } from 'drizzle-orm';
import { rowsOf, type Db, type Q } from '../../db/client.js';

/** Rows this connection has read from `table`, from the table and through its indexes, not yet reported. */
export async function rowsReadSoFar(tx: Q, table: string): Promise<number> {
  const [stats] = rowsOf<{ n: string }>(
    await tx.execute(sql`
      select (pg_stat_get_xact_tuples_returned(${table}::regclass)
              + (select coalesce(sum(pg_stat_get_xact_tuples_returned(indexrelid)), 0) from pg_index
                 where indrelid = ${table}::regclass))::text as n`),
  );
  return Number(stats?.n);
}

/**
 * `work` in a transaction rolled back afterwards, with the rows it read from `table` as PostgreSQL itself
 * counts them: from the table and through its indexes. A count, not a time, so a test of how much a query
 * reads holds whatever the machine's speed. The counts are the connection's own until it reports them (at
 * most once a second, never inside a transaction), so they may hold earlier statements' reads: what
 * `work` read is the difference across it, within the one transaction.
 */
export async function rowsReadBy<T>(
  db: Db,
  table: string,
  work: (tx: Q) => Promise<T>,
): Promise<{ value: T; rowsRead: number }> {
  let counted: { value: T; rowsRead: number } | undefined;
  await db
    .transaction(async (tx) => {
      const before = await rowsReadSoFar(tx, table);
      const value = await work(tx);
      counted = { value, rowsRead: (await rowsReadSoFar(tx, table)) - before };
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  return counted!;
}
