import type { SmartAccountRef, VirtualAccountRef } from '../../domain/types.js';

export interface LegalEntity {
  id: string;
  name: string;
  country: string | null;
  address: string | null;
  parentId: string | null;
}

/** License and device counts of one Virtual Account. */
export interface AssetCounts {
  smartAccountId: number;
  virtualAccountId: number;
  licenses: number;
  devices: number;
}

/** Smart Accounts, their Virtual Accounts and legal entities. Domains and VA names match case-insensitively. */
export interface AccountRepository {
  findSmartAccount(domain: string): Promise<SmartAccountRef | undefined>;
  smartAccountsByIds(ids: readonly number[]): Promise<Map<number, SmartAccountRef>>;
  /** Smart Accounts among `ids` whose name or domain contains the query (all of them without a query). */
  searchSmartAccounts(
    ids: readonly number[] | 'all',
    query: string | undefined,
    limit: number,
  ): Promise<SmartAccountRef[]>;
  /** How many Smart Accounts `searchSmartAccounts` finds without a limit. */
  countMatchingSmartAccounts(ids: readonly number[] | 'all', query: string | undefined): Promise<number>;
  /** How many Smart Accounts there are (none: an empty inventory). */
  countSmartAccounts(): Promise<number>;
  findVirtualAccount(smartAccountId: number, name: string): Promise<VirtualAccountRef | undefined>;
  /** The Virtual Accounts of these Smart Accounts, by account then name. */
  virtualAccountsOf(smartAccountIds: readonly number[]): Promise<VirtualAccountRef[]>;
  virtualAccountsByIds(ids: readonly number[]): Promise<Map<number, VirtualAccountRef>>;
  findLegalEntity(id: string | null): Promise<LegalEntity | undefined>;
  /** Counts per Virtual Account ("show counts"), every VA of these accounts included. */
  assetCounts(smartAccountIds: readonly number[]): Promise<AssetCounts[]>;
}
