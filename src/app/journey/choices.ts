import { listParam, msg, type Msg } from '../../domain/msg.js';
import type { AccountChoice, Person } from './journey.js';

/** Reading a choice among the accounts or the people a journey step offers: by number, name or address. */

/** A number from a list (1-based), or the text itself. */
export function pick<T>(text: string, list: readonly T[]): T | undefined {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= list.length ? list[n - 1] : undefined;
}

export const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** Smart Accounts matching a search: by number, exact domain, or part of name or domain. */
export function searchAccounts(accounts: readonly AccountChoice[], text: string): AccountChoice[] {
  const numbered = pick(text.trim(), accounts);
  if (numbered) return [numbered];
  const q = fold(text);
  if (q === '') return [...accounts];
  const exact = accounts.filter((a) => fold(a.domain) === q);
  if (exact.length > 0) return exact;
  return accounts.filter((a) => fold(a.domain).includes(q) || fold(a.name).includes(q));
}

/** One Virtual Account of an account, as a picker that lists them one per line offers it. */
export interface VirtualAccountMatch {
  account: AccountChoice;
  virtualAccount: AccountChoice['virtualAccounts'][number];
  /** Whether the account itself matched (then all its Virtual Accounts are offered). */
  accountMatched: boolean;
}

/**
 * Virtual Accounts matching a search, for pickers that list them one per line (an account may have
 * hundreds): `SA/VA` (the account as `searchAccounts` finds it, part of the Virtual Account's name after
 * the slash), or a text that names accounts (all their Virtual Accounts) or Virtual Accounts by part of
 * their name.
 */
export function searchVirtualAccounts(
  accounts: readonly AccountChoice[],
  text: string,
): VirtualAccountMatch[] {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const vaQuery = fold(text.slice(slash + 1));
    return searchAccounts(accounts, text.slice(0, slash)).flatMap((account) =>
      account.virtualAccounts
        .filter((va) => fold(va.name).includes(vaQuery))
        .map((virtualAccount) => ({ account, virtualAccount, accountMatched: false })),
    );
  }
  const matched = new Set(searchAccounts(accounts, text));
  const q = fold(text);
  return accounts.flatMap((account) =>
    account.virtualAccounts
      .filter((va) => matched.has(account) || fold(va.name).includes(q))
      .map((virtualAccount) => ({ account, virtualAccount, accountMatched: matched.has(account) })),
  );
}

/** `SA`, `SA/VA`, a number, or part of a name or domain that names one account. */
export function readAccount(
  accounts: readonly AccountChoice[],
  text: string,
): { account: AccountChoice; virtualAccount?: string } | Msg {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const accountText = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const vaText = slash >= 0 ? trimmed.slice(slash + 1).trim() : undefined;
  if (accountText.trim() === '') return msg('core:journey.error.accountRequired');
  const found = searchAccounts(accounts, accountText);
  if (found.length === 0) return msg('core:journey.error.noAccountMatches', { query: accountText.trim() });
  if (found.length > 1)
    return msg('core:journey.error.severalAccountsMatch', {
      query: accountText.trim(),
      accounts: listParam(found.map((a) => a.domain)),
    });
  const account = found[0]!;
  if (vaText === undefined || vaText === '') return { account };
  const va = account.virtualAccounts.find((v) => fold(v.name) === fold(vaText));
  if (!va)
    return msg('core:journey.error.noVirtualAccount', {
      name: vaText,
      domain: account.domain,
      names: listParam(account.virtualAccounts.map((v) => v.name)),
    });
  return { account, virtualAccount: va.name };
}

export function choosePerson(text: string, candidates: readonly Person[]): Person | undefined {
  const numbered = pick(text.trim(), candidates);
  if (numbered) return numbered;
  const q = fold(text);
  return candidates.find((p) => fold(p.email) === q);
}
