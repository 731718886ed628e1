import type { PGlite, Transaction } from '@electric-sql/pglite';

/**
 * Changes what runs queries on the embedded engine: the client itself (`inTransaction` false), and each
 * transaction it opens, before the transaction's work is handed it (`inTransaction` true). A change made
 * later wraps the ones made before it, on the client and on every transaction alike.
 */
export function onEveryQuerier(
  client: PGlite,
  change: (querier: PGlite | Transaction, inTransaction: boolean) => void,
): void {
  change(client, false);
  const transaction = client.transaction.bind(client);
  client.transaction = ((work: (tx: Transaction) => Promise<unknown>) =>
    transaction((tx) => {
      change(tx, true);
      return work(tx);
    })) as typeof client.transaction;
}
