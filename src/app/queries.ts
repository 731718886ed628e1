import { searchText } from '../text/input-check.js';
import type { Status } from '../domain/status.js';
import {
  administeredAccounts,
  checkNamedAccount,
  awaitsDecisionBy,
  canView,
  isAdminOf,
  listScope,
  mayRequestTransfers,
  seesEveryAccount,
} from '../domain/permissions.js';
import type { Actor, SmartAccountRef } from '../domain/types.js';
import { msg, translate, type Msg } from '../i18n/index.js';
import type { Locale } from '../i18n/locale.js';
import type { AppDeps } from './deps.js';
import type { TransferFilter, TransferRow } from './ports/transfers.js';
import { notFound, okResult, refused, type Result } from './run.js';
import { toTransferState } from './transfer-state.js';
import { completionPending } from './views.js';

export interface AccountSummary {
  domain: string;
  name: string;
  admin: boolean;
  licenses: number;
  devices: number;
  virtualAccounts: { name: string; onPrem: boolean; licenses: number; devices: number }[];
}

/**
 * A Virtual Account's name as every list and every form shows it: an On-Prem one says so, as the devices it
 * holds cannot move (SPEC section 5), before anyone picks it as a source.
 */
export function virtualAccountLabel(locale: Locale, va: { name: string; onPrem: boolean }): string {
  return va.onPrem ? translate(locale, 'common:value.onPremVa', { name: va.name }) : va.name;
}

/** `accounts [QUERY]`: the Smart Accounts the user administers, with counts per Virtual Account. */
export async function listAccounts(
  deps: AppDeps,
  actor: Actor,
  query?: string,
  opts: { limit?: number } = {},
): Promise<AccountSummary[]> {
  const accounts = await deps.store.accounts.searchSmartAccounts(
    administeredAccounts(actor),
    searchText(query),
    opts.limit ?? 50,
  );
  return summarise(deps, actor, accounts);
}

/** The Smart Accounts `accounts` lists at most; a query narrows the list to reach the others. */
export const ACCOUNTS_LISTED = 50;

/** `accounts [QUERY]` as every surface answers it: the first accounts, and how many more match. */
export interface AccountsFound {
  accounts: AccountSummary[];
  /** Accounts matching beyond those listed, reached by a narrower query. */
  more: number;
}

/** `accounts [QUERY]`: the first ACCOUNTS_LISTED matching accounts by name, and the count of the rest. */
export async function findAccounts(deps: AppDeps, actor: Actor, query?: string): Promise<AccountsFound> {
  const [accounts, total] = await Promise.all([
    listAccounts(deps, actor, query, { limit: ACCOUNTS_LISTED }),
    deps.store.accounts.countMatchingSmartAccounts(administeredAccounts(actor), searchText(query)),
  ]);
  return { accounts, more: Math.max(0, total - accounts.length) };
}

async function summarise(
  deps: AppDeps,
  actor: Actor,
  accounts: SmartAccountRef[],
): Promise<AccountSummary[]> {
  const ids = accounts.map((a) => a.id);
  const [counts, vas] = await Promise.all([
    deps.store.accounts.assetCounts(ids),
    deps.store.accounts.virtualAccountsOf(ids),
  ]);
  const byVa = new Map(counts.map((c) => [c.virtualAccountId, c]));
  return accounts.map((a) => {
    const own = vas.filter((v) => v.smartAccountId === a.id);
    const perVa = own.map((v) => ({
      name: v.name,
      onPrem: v.onPrem,
      licenses: byVa.get(v.id)?.licenses ?? 0,
      devices: byVa.get(v.id)?.devices ?? 0,
    }));
    return {
      domain: a.domain,
      name: a.name,
      admin: isAdminOf(actor, a.id),
      licenses: perVa.reduce((n, v) => n + v.licenses, 0),
      devices: perVa.reduce((n, v) => n + v.devices, 0),
      virtualAccounts: perVa,
    };
  });
}

export interface TransferRowView {
  id: string;
  status: Status;
  /** The Smart Accounts, each surface naming them with `accountLabel` in the reader's language. */
  source: { domain: string; name: string };
  destination: { domain: string; name: string };
  createdAt: Date;
  completedAt: Date | null;
  /** No completion date yet, and one can still come (see `completionPending`). */
  completionPending: boolean;
  /** The viewer is asked for a decision on it (consent or screening). */
  awaitingViewer: boolean;
}

export interface TransferListFilter {
  smartAccount?: string | undefined;
  status?: Status | undefined;
  /** The page after this transaction (older ones). */
  before?: string | undefined;
  /** The page before this transaction (newer ones). */
  after?: string | undefined;
  limit?: number;
}

/** Rows on one page of the landing page, on every surface. */
export const PAGE_SIZE = 25;

/** One page of the landing page and the transactions that open its neighbours, when there are any. */
export interface TransferPage {
  rows: TransferRowView[];
  /** Pass as `before` for the next (older) page. */
  older?: string;
  /** Pass as `after` for the previous (newer) page. */
  newer?: string;
}

/**
 * Transfers touching the chosen account (or every account the user administers, plus those the user is
 * part of), newest first. Compliance and licensing operations see all.
 */
export async function visibleTransfers(
  deps: AppDeps,
  actor: Actor,
  filter: TransferListFilter,
): Promise<Result<TransferRow[]>> {
  const visible = await visibleFilter(deps, actor, filter);
  if (!visible.ok) return visible;
  // A page starts at a transaction the actor may see: one they may not is answered as one that does not
  // exist, so paging tells nobody which ids exist.
  const cursor = async (id: string | undefined) => {
    if (id === undefined) return undefined;
    const loaded = await deps.store.transfers.loadState(id);
    return loaded && canView(actor, loaded.state)
      ? { createdAt: loaded.state.createdAt, id: loaded.state.id }
      : undefined;
  };
  const [before, after] = [await cursor(filter.before), await cursor(filter.after)];
  const missing =
    (filter.before !== undefined && !before && filter.before) ||
    (filter.after !== undefined && !after && filter.after);
  if (missing) return refused(notFound(missing));
  return okResult(
    await deps.store.transfers.list({ ...visible.value, before, after, limit: filter.limit ?? 50 }),
  );
}

/** Which transfers the actor sees in a list: the accounts in view, and whether those they are part of count. */
export async function visibleFilter(
  deps: AppDeps,
  actor: Actor,
  filter: Pick<TransferListFilter, 'smartAccount' | 'status'>,
): Promise<Result<Omit<TransferFilter, 'limit'>>> {
  let scope = listScope(actor);
  if (filter.smartAccount) {
    const sa = await deps.store.accounts.findSmartAccount(filter.smartAccount);
    const inScope = scope;
    const hidden = checkNamedAccount(
      actor,
      sa ?? filter.smartAccount,
      (id) => inScope === 'all' || inScope.includes(id),
    );
    if (hidden || !sa) return refused(hidden!);
    scope = [sa.id];
  }
  return okResult({
    smartAccountIds: scope,
    ...(filter.smartAccount ? {} : { involvedUserId: actor.userId }),
    status: filter.status,
  });
}

/** The landing page: the transfers the actor may see, each saying whether it waits for the actor. */
export async function listTransferRows(
  deps: AppDeps,
  actor: Actor,
  filter: TransferListFilter,
): Promise<Result<TransferRowView[]>> {
  const visible = await visibleTransfers(deps, actor, filter);
  if (!visible.ok) return visible;
  const rows = visible.value;
  const [accounts, consents] = await Promise.all([
    deps.store.accounts.smartAccountsByIds(
      rows.flatMap((r) => [r.sourceSmartAccountId, r.destinationSmartAccountId]),
    ),
    deps.store.transfers.consentsOf(rows.map((r) => r.id)),
  ]);
  return okResult(
    rows.map((r) => ({
      id: r.id,
      status: r.status,
      source: named(accounts.get(r.sourceSmartAccountId)),
      destination: named(accounts.get(r.destinationSmartAccountId)),
      createdAt: r.createdAt,
      completedAt: r.completedAt,
      completionPending: completionPending(r),
      awaitingViewer: awaitsDecisionBy(actor, toTransferState(r, consents.get(r.id) ?? [], null)),
    })),
  );
}

/** A row's Smart Account by its domain and name (both blank if it could not be read). */
function named(account: { domain: string; name: string } | undefined): { domain: string; name: string } {
  return { domain: account?.domain ?? '', name: account?.name ?? '' };
}

/**
 * One page of the landing page: newest first, PAGE_SIZE rows, and where the pages beside it start. One row
 * more than shown is read to know whether a further page exists; the page it was reached from exists.
 */
export async function transferPage(
  deps: AppDeps,
  actor: Actor,
  filter: Omit<TransferListFilter, 'limit'>,
  size = PAGE_SIZE,
): Promise<Result<TransferPage>> {
  const result = await listTransferRows(deps, actor, { ...filter, limit: size + 1 });
  if (!result.ok) return result;
  const towardsNewer = filter.after !== undefined;
  const more = result.value.length > size;
  const rows = towardsNewer ? result.value.slice(-size) : result.value.slice(0, size);
  const hasOlder = towardsNewer ? true : more;
  const hasNewer = towardsNewer ? more : filter.before !== undefined;
  return okResult({
    rows,
    ...(hasOlder && rows.length > 0 ? { older: rows[rows.length - 1]!.id } : {}),
    ...(hasNewer && rows.length > 0 ? { newer: rows[0]!.id } : {}),
  });
}

/** The landing page's current Smart Account, chosen with `use`, while the user still administers it. */
export async function currentSmartAccount(deps: AppDeps, actor: Actor): Promise<string | undefined> {
  return (await chosenAccount(deps, actor))?.domain;
}

async function chosenAccount(deps: AppDeps, actor: Actor): Promise<SmartAccountRef | undefined> {
  const current = (await deps.store.users.findUser({ id: actor.userId }))?.currentSmartAccountId;
  if (!current || !isAdminOf(actor, current)) return undefined;
  return (await deps.store.accounts.smartAccountsByIds([current])).get(current);
}

async function administeredNamed(
  deps: AppDeps,
  actor: Actor,
  domain: string,
): Promise<SmartAccountRef | undefined> {
  const account = await deps.store.accounts.findSmartAccount(domain);
  return account && isAdminOf(actor, account.id) ? account : undefined;
}

/** What the landing page offers its reader besides the transactions. */
export interface LandingAccounts {
  /** The first Smart Accounts the user administers, by name, at most `limit`, the current one among them. */
  accounts: AccountSummary[];
  /** The one chosen with `use` (as `list` takes it), else the first administered; none without any. */
  current: AccountSummary | undefined;
  /** A compliance officer or licensing operations: a list without an account shows every transaction. */
  seesEveryTransaction: boolean;
  /** Whether the user may start a request: the page offers its Request button only then. */
  mayRequest: boolean;
  /**
   * What the page says to someone who may not request (who administers no account) in place of the
   * switcher: that they administer none, and what the list holds (theirs, every one, or the account's).
   */
  note?: Msg;
}

/**
 * The landing page's Smart Accounts: a switcher of at most `limit` and the current one, which is always
 * offered, in place of the last of the first ones when it is not among them. A page of another account
 * the user administers (`list DOMAIN`) has that one as its current one.
 */
export async function landingAccounts(
  deps: AppDeps,
  actor: Actor,
  limit: number,
  pageAccount?: string,
): Promise<LandingAccounts> {
  const [first, chosen] = await Promise.all([
    listAccounts(deps, actor, undefined, { limit }),
    pageAccount ? administeredNamed(deps, actor, pageAccount) : chosenAccount(deps, actor),
  ]);
  let accounts = first;
  let current = chosen ? first.find((a) => a.domain === chosen.domain) : first[0];
  if (chosen && !current) {
    [current] = await summarise(deps, actor, [chosen]);
    if (current) accounts = [current, ...first.slice(0, limit - 1)];
  }
  const mayRequest = mayRequestTransfers(actor);
  return {
    accounts,
    current,
    seesEveryTransaction: seesEveryAccount(actor),
    mayRequest,
    ...(mayRequest ? {} : { note: noAccountsNote(actor, pageAccount) }),
  };
}

/** The landing page's words for someone who administers no account, by what the page lists. */
function noAccountsNote(actor: Actor, pageAccount: string | undefined): Msg {
  if (pageAccount) return msg('core:list.noAccountsPage');
  return msg(seesEveryAccount(actor) ? 'core:list.noAccountsSeesAll' : 'core:list.noAccounts');
}

/** A Smart Account's display name and domain as stored, by its domain in any case. */
export async function accountNamed(
  deps: AppDeps,
  domain: string,
): Promise<{ name: string; domain: string } | undefined> {
  const account = await deps.store.accounts.findSmartAccount(domain);
  return account && { name: account.name, domain: account.domain };
}
