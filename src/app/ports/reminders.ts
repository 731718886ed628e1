import type { Status } from '../../domain/status.js';
import type { ConsentRole } from '../../domain/types.js';
import type { TransferRow } from './transfers.js';

/** A consent nobody answered yet, on a transfer that still waits for it, with what a reminder needs. */
export interface AwaitedConsent {
  consent: {
    id: number;
    transferId: string;
    role: ConsentRole;
    userId: number;
    requestedAt: Date;
    remindersSent: number;
    lastRemindedAt: Date | null;
  };
  /** The awaited person's name (their zone is read with them: see `reminderTimeZone`). */
  name: string;
  /** Its transfer's accounts, and who asked for it (never told to chase the answer they wait for). */
  transfer: { sourceSmartAccountId: number; destinationSmartAccountId: number; requesterId: number };
}

/** A transfer left in one status (its requester's zone is read with them: see `reminderTimeZone`). */
export interface IdleTransfer {
  transfer: TransferRow;
}

/** One consent's reminder count moving from `number - 1` to `number`. */
export interface ReminderCount {
  consentId: number;
  transferId: string;
  number: number;
}

/**
 * Scheduled work. Claims are keyed (`reminder:…`): of two instances, or a tick that overran into the next,
 * only one claims a key; the claim commits or rolls back with the messages it enqueues.
 */
export interface ReminderRepository {
  /** Claims one piece of work by its key, in the caller's transaction. False when it was claimed before. */
  claim(key: string, now: Date, by: string): Promise<boolean>;
  /** Gives a claim back, in the caller's transaction: the work it claimed came to nothing, and may be claimed again. */
  release(key: string): Promise<void>;
  /** How many claims start with `prefix`, and the last one's time. */
  pastClaims(prefix: string): Promise<{ count: number; last: Date | null }>;
  /**
   * The transfer's status, read under a share lock: a decision arriving meanwhile waits for the caller's
   * commit, and one that committed first is seen.
   */
  lockedStatus(transferId: string): Promise<Status | undefined>;
  /** Unanswered consents of transfers in `status` that their person may still give (see mayAnswer), by consent id. */
  awaitedConsents(status: Status): Promise<AwaitedConsent[]>;
  /** Transfers in `status` whose last change is no later than `changedBefore`, oldest change first. */
  idleTransfers(status: Status, changedBefore: Date): Promise<IdleTransfer[]>;
  /**
   * Moves each consent's reminder count on by one — if nobody answered or reminded it meanwhile and its
   * transfer is still in `status` (read under a share lock). Returns the consents that moved: that
   * compare-and-set is the claim of their reminders. Rows are locked in one order, so two sweeps wait for
   * each other instead of deadlocking.
   */
  countReminders(counts: readonly ReminderCount[], now: Date, status: Status): Promise<Set<number>>;
}
