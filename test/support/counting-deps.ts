import type { AppDeps } from '../../src/app/deps.js';

type Store = AppDeps['store'];

/**
 * The same services over the same database, counting the calls of one repository method (the rest pass
 * through untouched): what an answer costs in reads of a kind.
 */
function countingCalls<Deps extends AppDeps, R extends keyof Store, M extends keyof Store[R]>(
  deps: Deps,
  repository: R,
  method: M,
): { deps: Deps; calls: () => number } {
  let calls = 0;
  const repo = deps.store[repository];
  const original = repo[method] as (...args: unknown[]) => unknown;
  const counted = (...args: unknown[]) => {
    calls += 1;
    return original.apply(repo, args);
  };
  return {
    deps: { ...deps, store: { ...deps.store, [repository]: { ...repo, [method]: counted } } },
    calls: () => calls,
  };
}

/**
 * How often the Smart Accounts a person administers are listed: what one answer of the request journey
 * costs in inventory reads.
 */
export function countingAccountLists<Deps extends AppDeps>(deps: Deps): { deps: Deps; lists(): number } {
  const counted = countingCalls(deps, 'accounts', 'searchSmartAccounts');
  return { deps: counted.deps, lists: counted.calls };
}

/**
 * How often a transfer's names are read on their own (`viewNames`): what drawing a transfer costs beyond
 * the read that brought its row.
 */
export function countingNameReads<Deps extends AppDeps>(deps: Deps): { deps: Deps; reads(): number } {
  const counted = countingCalls(deps, 'transfers', 'viewNames');
  return { deps: counted.deps, reads: counted.calls };
}
