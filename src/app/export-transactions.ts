import { msg, type Msg } from '../domain/msg.js';
import { tr, translate } from '../i18n/index.js';
import type { AppDeps } from './deps.js';
import type { ExportContext, TransactionLine } from './export-sheets.js';
import type { Table } from './export-table.js';
import type { TransferLineRow } from './ports/transfers.js';
import { personOf, transferVirtualAccountIds } from './views.js';

/** Transactions read from the database at a time for an account's file. */
export const EXPORT_PAGE_SIZE = 1000;

/** The page of transactions after `before` (older ones, newest first), at most `limit` of them. */
export type TransferPageReader = (
  before: TransferLineRow | undefined,
  limit: number,
) => Promise<TransferLineRow[]>;

/** Pages of transactions, in the order the file lists them. */
export type TransferPages = () => AsyncIterable<TransferLineRow[]>;

/**
 * Up to `maxRows` transactions, newest first, a page at a time, each read once (see `RowPages`): a
 * transaction requested while the file is written is newer than the first page, so it is not in the file.
 * The last page asks for one transaction more than the file takes: if it is there, `leftOut` is told.
 */
export function transferPages(
  read: TransferPageReader,
  maxRows: number,
  leftOut?: () => void,
): TransferPages {
  return async function* pages() {
    let taken = 0;
    let before: TransferLineRow | undefined;
    while (taken < maxRows) {
      const wanted = Math.min(EXPORT_PAGE_SIZE, maxRows - taken);
      const lastPage = wanted === maxRows - taken;
      const page = await read(before, lastPage ? wanted + 1 : wanted);
      if (page.length === 0) break;
      if (page.length > wanted) leftOut?.();
      const rows = page.slice(0, wanted);
      before = rows[rows.length - 1];
      taken += rows.length;
      yield rows;
    }
  };
}

/** A file that holds only the newest transactions of its scope: how many, and whether it spans several accounts. */
export interface PartialExport {
  rows: number;
  /** Exported without naming a Smart Account: one account at a time may hold all of each. */
  allAccounts: boolean;
}

/** Why a file holds only part of the list, told in the reply and on a sheet of the file. */
export function partialNote(partial: PartialExport): Msg {
  return msg(partial.allAccounts ? 'export:partial.noteAllAccounts' : 'export:partial.note', {
    rows: partial.rows,
  });
}

/**
 * A sheet saying the file holds only part of the list; `partial` is asked once the list is read (the
 * writer reads every sheet before it writes one), and the sheet is left out of a whole list's file.
 */
export function partialSheet(ctx: ExportContext, partial: () => PartialExport | undefined): Table {
  return {
    name: translate(ctx.reader.locale, 'export:partial.sheet'),
    columns: [{ header: translate(ctx.reader.locale, 'export:partial.header'), kind: 'text' }],
    rows: async function* note() {
      const known = partial();
      if (known) yield [[tr(ctx.reader, partialNote(known))]];
    },
    onlyWithRows: true,
  };
}

// Beyond this many people remembered, the next page asks the database again rather than holding more.
const MAX_REMEMBERED_PEOPLE = 20_000;

/**
 * Turns pages of transactions into the file's lines, with the accounts and people they name. What one
 * page looked up is remembered for the next (an account's transactions name the same few accounts and
 * people again and again), within a bound.
 */
export function transactionLinesOf(deps: AppDeps): (rows: TransferLineRow[]) => Promise<TransactionLine[]> {
  const accounts = new Map<number, { domain: string; name: string }>();
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
    const account = (id: number) => {
      const found = accounts.get(id);
      return found ? { domain: found.domain, name: found.name } : { domain: '', name: '' };
    };
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      source: account(r.sourceSmartAccountId),
      sourceVirtualAccount:
        r.sourceVirtualAccountId !== null ? (vas.get(r.sourceVirtualAccountId)?.name ?? null) : null,
      destination: account(r.destinationSmartAccountId),
      destinationVirtualAccount: vas.get(r.destinationVirtualAccountId)?.name ?? '',
      sameLegalEntity: r.sameLegalEntity,
      requester: person(r.requesterId),
      transferee: r.transfereeId !== null ? person(r.transfereeId) : null,
      createdAt: r.createdAt,
      completedAt: r.completedAt,
    }));
  };
}
