import {
  formatInventoryErrors,
  type Inventory,
  type InventoryError,
  type KnownIdentities,
} from '../../inventory/schema.js';
import type { PlacedElsewhere } from '../../inventory/placed-elsewhere.js';
import type { AccountRole, Role } from '../../domain/roles.js';
import type { Repositories } from './store.js';

/** What an import did with the rows of one list: `updated` only where a stored value changed. */
export interface ListCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportCounts {
  legalEntities: ListCounts;
  smartAccounts: ListCounts;
  virtualAccounts: ListCounts;
  users: ListCounts;
  licenses: ListCounts;
  devices: ListCounts;
}

export interface ImportOptions {
  /** Rows per statement for licenses and devices (default 1,000). */
  batchSize?: number;
  /** Called after each batch of licenses or devices, for a progress line on large files. */
  onProgress?: (progress: { list: 'licenses' | 'devices'; done: number; total: number }) => void;
  /** When the import happens, for the history rows it writes (default: now). */
  at?: Date;
  /**
   * What the application records of the import (history rows, messages): run last in the import's own
   * transaction, with repositories on it, so it is written with the import or not at all.
   */
  record?: (repos: Repositories, outcome: ImportOutcome) => Promise<void>;
}

/**
 * A role an import gave or took away from a person the database held before it (the people it creates
 * start with the roles the file gives them: those are no change). A grant of one Smart Account role in
 * place of the other is one change, naming the role it replaced, as `grant` in chat does.
 */
export interface ImportedRoleChange {
  person: { id: number; name: string; email: string };
  kind: 'grant' | 'revoke';
  role: Role;
  /** The Smart Account of an admin or user role. */
  account?: { domain: string; name: string };
  /** The role on that Smart Account that a grant replaced. */
  previous?: AccountRole;
}

/** What an import did: its counts, the completed transfers whose assets it put somewhere else, the roles it changed. */
export interface ImportOutcome {
  counts: ImportCounts;
  /** Per transfer, the assets it moved that the file placed elsewhere. */
  placedElsewhere: PlacedElsewhere[];
  /** Every role it gave or took away, in no particular order. */
  roleChanges: ImportedRoleChange[];
}

/** The import refused the file after starting to write it; nothing is written. */
export class InventoryRefusedError extends Error {
  constructor(readonly errors: InventoryError[]) {
    super(formatInventoryErrors(errors));
    this.name = 'InventoryRefusedError';
  }
}

/** How much the inventory holds, list by list. */
export interface InventoryCensus {
  legalEntities: number;
  smartAccounts: number;
  virtualAccounts: number;
  users: number;
  licenses: number;
  devices: number;
}

/** People the bot cannot reach on any chat platform yet: no Slack or Teams id recorded. */
export interface Unlinked {
  count: number;
  /** The first e-mails, alphabetically. */
  emails: string[];
}

export interface InventoryStore {
  census(): Promise<InventoryCensus>;
  /** People with no chat identity on any platform, the first `limit` of them by e-mail. */
  unlinkedPeople(limit: number): Promise<Unlinked>;
  /** What a file may refer to without listing it: what the database already holds. */
  knownIdentities(): Promise<KnownIdentities>;
  /**
   * Creates or updates everything the inventory lists, in one transaction; never deletes. A row that holds
   * what is stored already is counted unchanged and not written. The inventory must come from
   * `parseInventory` against `knownIdentities()`. Throws InventoryRefusedError, writing nothing, when an open
   * transfer took an asset the file moves while the import ran. An asset it moves away from where its last
   * completed transfer put it is moved all the same (`placedElsewhere`); `options.record` writes what the
   * application keeps of it in the same transaction.
   */
  importInventory(inventory: Inventory, options?: ImportOptions): Promise<ImportOutcome>;
}
