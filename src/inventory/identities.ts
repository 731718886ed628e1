import type { HeldAssets } from './held-assets.js';

// An import creates the DEFAULT Virtual Account of every Smart Account the file lists without one.
export { DEFAULT_VIRTUAL_ACCOUNT } from '../domain/types.js';

/**
 * What the database already holds, so a file may refer to Smart Accounts, VAs and legal entities it does not
 * list itself. Domains and VA keys are lower case (see `vaKey`).
 */
export interface KnownIdentities {
  legalEntityIds: ReadonlySet<string>;
  smartAccountDomains: ReadonlySet<string>;
  virtualAccounts: ReadonlySet<string>;
  /** Slack / Teams user ID → lower-case e-mail of the user holding it (both are unique in the database). */
  slackUserIds?: ReadonlyMap<string, string>;
  teamsUserIds?: ReadonlyMap<string, string>;
  /** Assets open transfers hold, which the file must leave where they are. */
  heldAssets?: HeldAssets;
}

export const NO_KNOWN_IDENTITIES: KnownIdentities = {
  legalEntityIds: new Set(),
  smartAccountDomains: new Set(),
  virtualAccounts: new Set(),
};

/** One key per VA, case-insensitive like the database's unique index. A domain never contains `/`. */
export function vaKey(domain: string, virtualAccount: string): string {
  return `${domain.toLowerCase()}/${virtualAccount.toLowerCase()}`;
}
