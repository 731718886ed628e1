import type { Msg } from '../../domain/msg.js';

export interface OutboxPayload {
  /** What to deliver: a text message, a decision card (rendered fresh at delivery), a card refresh, or a file. */
  type: 'message' | 'card' | 'card_refresh' | 'file';
  transferId?: string;
  /** For cards: which decision (`consent:transferee`, `consent:transferor`, `compliance`). */
  decision?: string;
  text?: Msg;
  lines?: Msg[];
  file?: { path: string; name: string };
  /** A card refresh: the copy the decider's own surface redraws as it answers the click, left alone here. */
  skip?: CardCopy;
  /**
   * A card refresh of only the copies posted to these people (whose roles changed: they can no longer
   * answer, or can again); every copy of the transfer's cards when absent.
   */
  onlyFor?: number[];
  /**
   * A card offered to a person who became reachable: posted only if the decision is still open and no
   * copy reached them meanwhile.
   */
  firstCopy?: boolean;
  /**
   * The claim that offered such a card, or a message that could not reach them before (see
   * offerWhatWaited): given back if it cannot be delivered to them, so that their next contact offers it again.
   */
  offerKey?: string;
  /**
   * Who asked for a message about no transfer (the bot admin whose role change it tells), and the surface
   * they asked on: should nobody be able to reach its recipient, they are told there, and the message
   * waits for the recipient's first contact (see offerWhatWaited).
   */
  requester?: { userId: number; surface: string };
  /** The platform to reach the recipient on, when it knows them: where they asked (see `requester`). */
  via?: string;
  /**
   * A message that only matters while this decision of its transfer is open (`consent:transferee`,
   * `consent:transferor`): an escalation, held until its reader's reminder window. Once the decision is
   * taken or the transfer moved on it is not sent; and until it is due, it holds back no message written
   * after it to the same person about the same transfer (migration 0027).
   */
  whileOpen?: string;
}

/** One posted copy of a card: the platform, and where it is there (as PostedCard.location). */
export interface CardCopy {
  platform: string;
  location: Record<string, string>;
}

/** A message to deliver, written in the same transaction as the change it reports. */
export interface OutboxEntry {
  /** Unique per logical message: a replayed change never enqueues the same message twice. */
  dedupeKey: string;
  /** A user, or a channel role such as `compliance`. */
  recipientUserId?: number | null;
  recipientChannel?: string | null;
  payload: OutboxPayload;
  dueAt?: Date;
}

export interface OutboxRow {
  id: number;
  dedupeKey: string;
  createdAt: Date;
  dueAt: Date;
  recipientUserId: number | null;
  recipientChannel: string | null;
  payload: OutboxPayload;
  state: 'pending' | 'sent' | 'dead';
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  /** The platform and where it landed (Slack channel + ts, Teams activity id), for later card updates. */
  deliveredTo: Record<string, unknown> | null;
}

/** One address a message landed at; kept on the row as it goes, so a retry skips what already arrived. */
export interface Landing {
  platform: string;
  id: string;
  location?: Record<string, string>;
}

export interface DeliveredTo {
  deliveries: Landing[];
}

/**
 * A claimed row carries its claim: the end of the lease the claim first took, which the row keeps as its
 * `claim` while renewals push its `dueAt` on. Every later write on the row is a compare-and-set on it, so
 * a worker whose lease ran out and another worker took the row over can no longer mark the row sent,
 * dead or retried.
 */
export interface Claimed {
  row: OutboxRow;
  lease: Date;
}

export interface OutboxRepository {
  /** Queues messages; a dedupe key seen before is skipped. */
  enqueue(now: Date, entries: readonly OutboxEntry[]): Promise<void>;
  /**
   * Claims up to `limit` due rows, hiding them from other workers until `leaseUntil`. Concurrent workers
   * get disjoint rows; a worker killed mid-batch leaves its rows to come due again when the lease ends.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<Claimed[]>;
  /** Records the addresses reached so far. False when the lease is lost. */
  saveProgress(claimed: Claimed, deliveredTo: DeliveredTo): Promise<boolean>;
  /**
   * A decision card posted: where it landed (a refresh finds it) and the row's progress (a retry does not
   * post it again), written at once. The card is recorded even when the lease was lost (`kept` false).
   * Answers the transfer's version as the card's row is recorded (null when the transfer is gone), taken
   * in turn with decisions on it: a decision with a later version commits after the card's row is there.
   */
  saveCardProgress(
    claimed: Claimed,
    card: Omit<PostedCard, 'id'>,
    deliveredTo: DeliveredTo,
  ): Promise<{ kept: false } | { kept: true; transferVersion: number | null }>;
  /**
   * Marks delivered rows sent, all in one statement, each only while its lease holds. Answers the ids
   * marked: a row missing from it had its lease lost meanwhile.
   */
  markSent(sent: readonly { claimed: Claimed; deliveredTo: DeliveredTo }[], now: Date): Promise<Set<number>>;
  markRetry(claimed: Claimed, dueAt: Date, attempts: number, error: string): Promise<boolean>;
  markDead(claimed: Claimed, attempts: number, error: string): Promise<boolean>;
  /** Gives a claimed row back untouched: due again right away for any worker. */
  release(claimed: Claimed, now: Date): Promise<void>;
  /**
   * Hides rows still held until `leaseUntil`, each only while its claim holds. Answers the ids renewed: a
   * row missing from it was finished meanwhile or taken over by another worker.
   */
  renewLeases(held: readonly Claimed[], leaseUntil: Date): Promise<Set<number>>;
  /**
   * Every row some worker holds, due now. Only for a worker alone on its database, at its start: the
   * claims it finds are those of a process that died. Answers how many.
   */
  handBackClaims(now: Date): Promise<number>;
  /** Messages still to deliver, due or not. */
  pendingCount(): Promise<number>;
  /**
   * Forgets, oldest first, messages written before `writtenBefore` that are no longer pending (sent, or
   * given up on), looking at no more than the `limit` oldest messages. Answers how many it forgot.
   */
  forgetDelivered(writtenBefore: Date, limit: number): Promise<number>;
  /** The latest rows addressed to a user, and to a channel when given, oldest first. */
  addressedTo(userId: number, channel: string | null, limit: number): Promise<OutboxRow[]>;
  /**
   * The earlier cards of this decision still on their way that may reach this person (addressed to them,
   * or to a channel its officers stand in for), written before row `before`: when the first of them is
   * next due, and whether a worker holds one now. Undefined when there is none.
   */
  cardOnItsWay(
    transferId: string,
    decision: string,
    userId: number,
    before: number,
  ): Promise<{ dueAt: Date; held: boolean } | undefined>;
  /**
   * Messages about no transfer, asked for by someone (`requester`), given up because nobody could reach
   * this person: each one's row id and payload, oldest first. Copies offered again are not among them.
   */
  unreachedNotices(userId: number): Promise<{ id: number; payload: OutboxPayload }[]>;
}

/** Where a decision card was posted, so every copy can be updated in place once decided. */
export interface PostedCard {
  id: number;
  transferId: string;
  decision: string;
  platform: string;
  recipientUserId: number | null;
  /** Slack: { channel, ts }; Teams: { conversationId, activityId, serviceUrl }. */
  location: Record<string, string>;
  postedAt: Date;
}

export interface CardRepository {
  /** Every copy posted for a transfer, in the order they were posted. */
  postedFor(transferId: string): Promise<PostedCard[]>;
  /**
   * The transfers in compliance screening with a copy of their compliance card posted to any of these
   * people, and to which of them.
   */
  screeningsPostedTo(userIds: readonly number[]): Promise<{ transferId: string; userIds: number[] }[]>;
  /**
   * The decisions still open for this person whose card never reached them: each consent they are asked
   * for on a transfer awaiting consent with no copy posted to them, and, for a compliance officer
   * (`officer`), each transfer in compliance screening with no copy in the channel nor posted to them.
   * By transfer id; one query, by the person's consents and the transfers in screening.
   */
  unpostedFor(
    userId: number,
    officer: boolean,
  ): Promise<{ transferId: string; decision: string; consentId: number | null }[]>;
}
