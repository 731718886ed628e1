import type { Msg } from '../../domain/msg.js';
import type { MinorLine } from './assets.js';
import type { Status } from '../../domain/status.js';
import type { ConsentRole, ConsentState, ItemResult, TransferState } from '../../domain/types.js';

/** A stored transfer: what the domain decides on (without its consents), and what the request said. */
export interface TransferRow extends Omit<TransferState, 'consents' | 'screenedByName' | 'statusesLeft'> {
  /** What the requester answered to "same company?" (`sameLegalEntity` is what the bot decided). */
  sameCompanyAnswer: boolean;
  /** On a partner's request, the transferor named by the requester; null when every eligible one is asked. */
  transferorId: number | null;
  justification: string | null;
  transfereeLegalName: string | null;
  transfereeAddress: string | null;
  termsAcceptedAt: Date | null;
  surface: string;
  submittedAt: Date | null;
  completedAt: Date | null;
  screeningReason: string | null;
  cancelReason: Msg | null;
}

/** What an account's export file shows of a transfer, and the ids it translates into names. */
export type TransferLineRow = Pick<
  TransferRow,
  | 'id'
  | 'status'
  | 'sourceSmartAccountId'
  | 'sourceVirtualAccountId'
  | 'destinationSmartAccountId'
  | 'destinationVirtualAccountId'
  | 'sameLegalEntity'
  | 'requesterId'
  | 'transfereeId'
  | 'createdAt'
  | 'completedAt'
>;

/** A transfer as a request creates it: nothing decided yet. */
export type NewTransfer = Omit<
  TransferRow,
  | 'version'
  | 'submittedAt'
  | 'completedAt'
  | 'screenedById'
  | 'screenedAt'
  | 'screeningReason'
  | 'cancelReason'
>;

/** What a change writes on a transfer (never its id or version: the compare-and-set bumps that). */
export type TransferPatch = Partial<Omit<TransferRow, 'id' | 'version'>>;

export interface ItemRow {
  id: number;
  transferId: string;
  kind: 'license' | 'device';
  licenseId: number | null;
  deviceId: number | null;
  /** `license:42` / `device:7`: one key for the database's one-open-transfer-per-asset rule. */
  assetKey: string;
  ref: string;
  pid: string | null;
  quantity: number | null;
  description: string | null;
  result: ItemResult;
  reason: Msg | null;
  warnings: Msg[];
  /** True while the item holds its asset: the item is selected and its transfer is not over. */
  open: boolean;
  movedAt: Date | null;
  /** Why the item last failed to move, kept once it moved on retry; null when it never failed. */
  lastFailure: Msg | null;
}

export type NewItem = Pick<ItemRow, 'transferId' | 'kind' | 'assetKey' | 'ref' | 'pid' | 'quantity'> &
  Partial<Pick<ItemRow, 'licenseId' | 'deviceId' | 'description'>>;

/** A result recorded on several items at once. */
export interface ItemChange {
  result: ItemResult;
  /** Why the item has this result; null when it has none (moved after a failed try). */
  reason?: Msg | null;
  warnings?: Msg[];
  /** False: the item lets go of its asset. */
  open?: boolean;
  movedAt?: Date;
  /** Why it failed, kept after a later try moves it. */
  lastFailure?: Msg;
}

export interface HistoryRow {
  id: number;
  transferId: string | null;
  at: Date;
  actorId: number | null;
  /** Display form of the actor (e-mail, or `system`), kept even if the user record changes. */
  actor: string;
  surface: string;
  action: string;
  fromStatus: Status | null;
  toStatus: Status | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

/** Admins a reminder escalated to: asked to follow up with whoever had not answered this role's consent. */
export interface Escalated {
  role: ConsentRole;
  userIds: number[];
  /** When the escalation reaches those of them it was held for (until their reminder window opens), by id. */
  heldUntil: ReadonlyMap<number, Date>;
}

export type NewHistory = Pick<HistoryRow, 'at' | 'actor' | 'surface' | 'action'> &
  Partial<Pick<HistoryRow, 'transferId' | 'actorId' | 'fromStatus' | 'toStatus' | 'reason' | 'details'>>;

export interface ConsentRequest {
  transferId: string;
  role: ConsentRole;
  userId: number;
  requestedAt: Date;
}

export interface ConsentAnswer {
  decision: 'approved' | 'rejected';
  decidedById: number;
  decidedAt: Date;
  reason: string | null;
}

export interface TransferFilter {
  /** Only transfers touching one of these Smart Accounts (source or destination), or any when 'all'. */
  smartAccountIds: readonly number[] | 'all';
  /** Transfers this user is part of regardless of account (requester, transferee, consenter). */
  involvedUserId?: number | undefined;
  status?: Status | undefined;
  /** Only transfers older than this one (newest first: the next page after it). */
  before?: { createdAt: Date; id: string } | undefined;
  /** Only transfers newer than this one: the page before it (still newest first). */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** A transfer as the domain decides on it, and its row. */
export interface LoadedTransfer {
  state: TransferState;
  row: TransferRow;
  /** The names drawing it shows, when they were read with it (a decision's read-back reads them). */
  names?: ViewNames;
}

/** What an item's asset is and is searched by, as recorded (shown translated with `assetFacts`). */
export interface ItemFacts {
  licenseType: string | null;
  webOrder: string | null;
  subscriptionId: string | null;
  pak: string | null;
  hostId: string | null;
  uuid: string | null;
  pnpStatus: string | null;
  registration: string | null;
  /** A license's minor lines, which move with it (none for a device). */
  minorLines: MinorLine[];
}

/** An item, with its asset's facts when it is among those described (null otherwise, or with no asset). */
export interface DescribedItem {
  item: ItemRow;
  facts: ItemFacts | null;
}

/** The names a drawn transfer shows, by id: its people, its Smart Accounts and its Virtual Accounts. */
export interface ViewNames {
  people: Map<number, { name: string; email: string }>;
  accounts: Map<number, { domain: string; name: string; legalEntityName: string | null }>;
  virtualAccounts: Map<number, { name: string }>;
}

/** Transfers, their items, consents and append-only history. */
export interface TransferRepository {
  loadRow(id: string): Promise<TransferRow | undefined>;
  /** The transfer as the domain decides on it, and its row. */
  loadState(id: string): Promise<LoadedTransfer | undefined>;
  /**
   * Holds the transfer's row until the open transaction ends, waiting while another transaction holds it:
   * what is read after this sees what that one committed, so one decision reads a whole transfer as of one
   * moment (its row, items and history alike). Outside a transaction it holds nothing.
   */
  lockForDecision(id: string): Promise<void>;
  /** As `loadState`, and the names drawing it shows, in one read. */
  loadStateAndNames(id: string): Promise<(LoadedTransfer & { names: ViewNames }) | undefined>;
  /** The names a transfer already read shows when drawn (empty when it is gone). */
  viewNames(id: string): Promise<ViewNames>;
  /**
   * Its items in the order added, the first `described` in showing order (every one when null) with their
   * asset's facts: the failed, then those with warnings, then the rest (see `inShowingOrder`).
   */
  itemsDescribed(transferId: string, described: number | null): Promise<DescribedItem[]>;
  /** Newest first. */
  list(filter: TransferFilter): Promise<TransferRow[]>;
  /** As `list`, with only the columns an export file shows: a page of 1,000 reads a third of the row. */
  listLines(filter: TransferFilter): Promise<TransferLineRow[]>;
  /** How many of its items have no result yet (what a transfer checks and moves when it runs). */
  pendingItemCount(transferId: string): Promise<number>;
  /** The consents of these transfers, with who decided each (by name). */
  consentsOf(transferIds: readonly string[]): Promise<Map<string, ConsentState[]>>;
  /**
   * Transfers awaiting a consent from someone who no longer holds what it takes (an admin role on their
   * side, and for a transferor the source's legal entity) while the history has not said so, or from
   * someone it said could not answer who holds it again: their roles changed since (see decideAnswerers).
   */
  awaitingConsentAnswerersChanged(): Promise<string[]>;
  /**
   * Records that these people asked can no longer answer the transfer's consents still awaited from them,
   * since `since`; null: that they can again.
   */
  markCannotAnswer(transferId: string, userIds: readonly number[], since: Date | null): Promise<void>;
  insert(transfer: NewTransfer): Promise<void>;
  /**
   * Compare-and-set: the patch applies only if the transfer is still in `expected` (status and version);
   * false when another change won the race.
   */
  compareAndSet(
    id: string,
    expected: { status: Status; version: number },
    patch: TransferPatch,
  ): Promise<boolean>;
  /** A transfer's items, in the order they were added. */
  items(transferId: string): Promise<ItemRow[]>;
  /** The items of several transfers at once, by transfer then order. */
  itemsOf(transferIds: readonly string[]): Promise<ItemRow[]>;
  insertItems(items: readonly NewItem[]): Promise<void>;
  updateItems(itemIds: readonly number[], change: ItemChange): Promise<void>;
  /** Every item of the transfer lets go of its asset (the transfer is over). */
  releaseItems(transferId: string): Promise<void>;
  requestConsents(consents: readonly ConsentRequest[]): Promise<void>;
  /** Records the answer on the consent of this role, if it is still open. */
  answerConsent(transferId: string, role: ConsentRole, answer: ConsentAnswer): Promise<void>;
  history(transferId: string): Promise<HistoryRow[]>;
  /**
   * The other admins the reminders escalated to about each role's consent, as the history recorded them
   * (`reminder.escalation`, its `to`: their ids), oldest first: who was asked to follow up.
   */
  escalatedTo(transferId: string): Promise<Escalated[]>;
  appendHistory(rows: readonly NewHistory[]): Promise<void>;
  /**
   * Counts one refusal of `actor` doing `action` on the transfer, for the reason `code`, in the minute
   * starting at `minute`; answers how many there have been in that minute, this one included.
   */
  countRefusal(refusal: {
    transferId: string | null;
    actor: string;
    action: string;
    code: string;
    minute: Date;
  }): Promise<number>;
}
