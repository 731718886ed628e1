import type { AppDeps } from './deps.js';
import type { TransactionLine } from './export-sheets.js';
import type { TransferRow } from './ports/transfers.js';
import { personOf, transferVirtualAccountIds } from './views.js';

/** Transactions read from the database at a time for an account's file. */
export const EXPORT_PAGE_SIZE = 1000;

/** The page of transactions after `before` (older ones, newest first), at most `limit` of them. */
export type TransferPageReader = (before: TransferRow | undefined, limit: number) => Promise<TransferRow[]>;

/** Pages of transactions, each read whole from the database, in the order the file lists them. */
export type TransferPages = () => AsyncIterable<TransferRow[]>;

const newerThan = (row: TransferRow, than: TransferRow) =>
  row.createdAt.getTime() > than.createdAt.getTime() ||
  (row.createdAt.getTime() === than.createdAt.getTime() && row.id > than.id);

/**
 * Up to `maxRows` transactions, newest first, a page at a time, and the same ones each time they are
 * read: the file is read twice (measured, then written), and a transaction requested in between is newer
 * than all the first reading saw, so later readings leave it out and stop where the first one stopped.
 */
export function transferPages(read: TransferPageReader, maxRows: number): TransferPages {
  let first: { newest: TransferRow | undefined; count: number } | undefined;
  return async function* pages() {
    const bound = first;
    let taken = 0;
    let before: TransferRow | undefined;
    let newest: TransferRow | undefined;
    const limit = bound ? bound.count : maxRows;
    while (taken < limit) {
      const page = await read(before, Math.min(EXPORT_PAGE_SIZE, limit - taken));
      if (page.length === 0) break;
      before = page[page.length - 1];
      newest ??= page[0];
      const kept = bound?.newest ? page.filter((row) => !newerThan(row, bound.newest!)) : page;
      const rows = kept.slice(0, limit - taken);
      taken += rows.length;
      if (rows.length > 0) yield rows;
    }
    first ??= { newest, count: taken };
  };
}

// Beyond this many people remembered, the next page asks the database again rather than holding more.
const MAX_REMEMBERED_PEOPLE = 20_000;

/**
 * Turns pages of transactions into the file's lines, with the accounts and people they name. What one
 * page looked up is remembered for the next (an account's transactions name the same few accounts and
 * people again and again), within a bound.
 */
export function transactionLinesOf(deps: AppDeps): (rows: TransferRow[]) => Promise<TransactionLine[]> {
  const accounts = new Map<number, { domain: string }>();
  const vas = new Map<number, { name: string }>();
  const people = new Map<number, { name: string; email: string }>();
  const missing = (known: Map<number, unknown>, ids: number[]) => [
    ...new Set(ids.filter((id) => !known.has(id))),
  ];
  return async (rows) => {
    if (people.size > MAX_REMEMBERED_PEOPLE) people.clear();
    const [newAccounts, newVas, newPeople] = await Promise.all([
      deps.store.accounts.smartAccountsByIds(
        missing(
          accounts,
          rows.flatMap((r) => [r.sourceSmartAccountId, r.destinationSmartAccountId]),
        ),
      ),
      deps.store.accounts.virtualAccountsByIds(missing(vas, transferVirtualAccountIds(rows))),
      deps.store.users.findUsersByIds(
        missing(
          people,
          rows.flatMap((r) => [r.requesterId, ...(r.transfereeId !== null ? [r.transfereeId] : [])]),
        ),
      ),
    ]);
    for (const [id, account] of newAccounts) accounts.set(id, account);
    for (const [id, va] of newVas) vas.set(id, va);
    for (const [id, user] of newPeople) people.set(id, user);
    const person = personOf(people);
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      source: accounts.get(r.sourceSmartAccountId)?.domain ?? '',
      sourceVirtualAccount:
        r.sourceVirtualAccountId !== null ? (vas.get(r.sourceVirtualAccountId)?.name ?? null) : null,
      destination: accounts.get(r.destinationSmartAccountId)?.domain ?? '',
      destinationVirtualAccount: vas.get(r.destinationVirtualAccountId)?.name ?? '',
      sameLegalEntity: r.sameLegalEntity,
      requester: person(r.requesterId),
      transferee: r.transfereeId !== null ? person(r.transfereeId) : null,
      createdAt: r.createdAt,
      completedAt: r.completedAt,
    }));
  };
}
