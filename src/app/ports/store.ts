import type { AccountRepository } from './accounts.js';
import type { AssetRepository } from './assets.js';
import type { ConversationRepository } from './conversations.js';
import type { DraftRepository } from './drafts.js';
import type { InventoryStore } from './inventory.js';
import type { PlatformRepository } from './platforms.js';
import type { CardRepository, OutboxRepository } from './outbox.js';
import type { ReminderRepository } from './reminders.js';
import type { RoleRepository } from './roles.js';
import type { TransferRepository } from './transfers.js';
import type { UserRepository } from './users.js';
import type { WorkRepository } from './work.js';

/** Every repository, reading and writing through one connection or one open transaction. */
export interface Repositories {
  accounts: AccountRepository;
  assets: AssetRepository;
  transfers: TransferRepository;
  users: UserRepository;
  roles: RoleRepository;
  outbox: OutboxRepository;
  cards: CardRepository;
  reminders: ReminderRepository;
  conversations: ConversationRepository;
  /** The chat platforms the bot has served this database on. */
  platforms: PlatformRepository;
  drafts: DraftRepository;
  /** Acknowledged work not done yet, and the requests already received (to recognise a replay). */
  work: WorkRepository;
  /**
   * Runs `effect` once the surrounding transaction has committed (at once outside a transaction), and
   * never for one rolled back: what must count once (metrics) when a transaction that lost a race is
   * run again must not count its first attempt too.
   */
  afterCommit(effect: () => void): void;
}

export interface HealthCheck {
  /** Whether the database answers now. */
  ping(): Promise<boolean>;
}

/**
 * What the application keeps its state in. Outside a transaction each call stands alone; `transaction`
 * runs `work` in one database transaction, rolled back if it throws. A write another transaction got to
 * first surfaces as ConcurrentUpdateError (run it again from a fresh read) or DuplicateError.
 */
export interface Store extends Repositories, HealthCheck {
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  inventory: InventoryStore;
  /**
   * Calls `listener` each time messages written to the outbox are committed (after the transaction that
   * wrote them, never for one rolled back), so they can be delivered at once. Returns the unsubscribe.
   */
  onOutboxWritten(listener: () => void): () => void;
}

/** The database gave up on the transaction for a concurrent one (serialization failure, deadlock): retry it. */
export class ConcurrentUpdateError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the transaction lost to a concurrent one', options);
    this.name = 'ConcurrentUpdateError';
  }
}

/** A write the database refused because it would break a uniqueness rule (one open transfer per asset). */
export class DuplicateError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('a uniqueness rule refused the write', options);
    this.name = 'DuplicateError';
  }
}
