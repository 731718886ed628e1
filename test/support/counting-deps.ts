import type { AppDeps } from '../../src/app/deps.js';

/**
 * The same services over the same database, counting how often the Smart Accounts a person administers
 * are listed: what one answer of the request journey costs in inventory reads.
 */
export function countingAccountLists<Deps extends AppDeps>(deps: Deps): { deps: Deps; lists(): number } {
  let lists = 0;
  const accounts = deps.store.accounts;
  return {
    deps: {
      ...deps,
      store: {
        ...deps.store,
        accounts: {
          ...accounts,
          searchSmartAccounts: (...args: Parameters<typeof accounts.searchSmartAccounts>) => {
            lists += 1;
            return accounts.searchSmartAccounts(...args);
          },
        },
      },
    },
    lists: () => lists,
  };
}
