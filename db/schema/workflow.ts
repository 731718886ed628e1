import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { OutboxPayload } from '../../src/app/ports/outbox.js';
import type { Msg } from '../../src/domain/msg.js';
import { STATUSES } from '../../src/domain/status.js';
import { ts } from './columns.js';
import { devices, licenses, smartAccounts, users, virtualAccounts } from './inventory.js';

// Enumerations come from src/ so the domain and the database cannot drift.
export const transferStatus = pgEnum('transfer_status', STATUSES);
export const assetKind = pgEnum('asset_kind', ['license', 'device']);
export const itemResult = pgEnum('item_result', [
  'pending',
  'transferred',
  'failed',
  'excluded',
  'not_transferred',
]);
export const consentRole = pgEnum('consent_role', ['transferee', 'transferor']);
export const decision = pgEnum('decision', ['approved', 'rejected']);
export const outboxState = pgEnum('outbox_state', ['pending', 'sent', 'dead']);

export const transfers = pgTable(
  'transfers',
  {
    id: text('id').primaryKey(),
    status: transferStatus('status').notNull(),
    /** Bumped on every change: the compare-and-set token. */
    version: integer('version').notNull().default(0),
    requesterId: integer('requester_id')
      .notNull()
      .references(() => users.id),
    sourceSmartAccountId: integer('source_smart_account_id')
      .notNull()
      .references(() => smartAccounts.id),
    sourceVirtualAccountId: integer('source_virtual_account_id').references(() => virtualAccounts.id),
    destinationSmartAccountId: integer('destination_smart_account_id')
      .notNull()
      .references(() => smartAccounts.id),
    destinationVirtualAccountId: integer('destination_virtual_account_id')
      .notNull()
      .references(() => virtualAccounts.id),
    /** What the requester answered to "same company?". */
    sameCompanyAnswer: boolean('same_company_answer').notNull(),
    /** What the bot decided after checking the answer against the inventory's legal entities. */
    sameLegalEntity: boolean('same_legal_entity').notNull(),
    requestedByPartner: boolean('requested_by_partner').notNull().default(false),
    transfereeId: integer('transferee_id').references(() => users.id),
    /** On a partner's request, the transferor the requester named; null asks every eligible source admin. */
    transferorId: integer('transferor_id').references(() => users.id),
    justification: text('justification'),
    transfereeLegalName: text('transferee_legal_name'),
    transfereeAddress: text('transferee_address'),
    termsAcceptedAt: ts('terms_accepted_at'),
    surface: text('surface').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    submittedAt: ts('submitted_at'),
    completedAt: ts('completed_at'),
    screenedById: integer('screened_by_id').references(() => users.id),
    screenedAt: ts('screened_at'),
    screeningReason: text('screening_reason'),
    cancelReason: jsonb('cancel_reason').$type<Msg>(),
  },
  (t) => [
    // The landing page reads newest first (created_at, id) per account, per person, per status.
    index('transfers_source_idx').on(t.sourceSmartAccountId, t.createdAt, t.id),
    index('transfers_destination_idx').on(t.destinationSmartAccountId, t.createdAt, t.id),
    index('transfers_source_status_idx').on(t.sourceSmartAccountId, t.status, t.createdAt, t.id),
    index('transfers_destination_status_idx').on(t.destinationSmartAccountId, t.status, t.createdAt, t.id),
    index('transfers_requester_idx').on(t.requesterId, t.createdAt, t.id),
    index('transfers_transferee_idx').on(t.transfereeId, t.createdAt, t.id),
    index('transfers_created_idx').on(t.createdAt, t.id),
    index('transfers_status_idx').on(t.status, t.updatedAt),
    index('transfers_status_created_idx').on(t.status, t.createdAt, t.id),
  ],
);

export const transferItems = pgTable(
  'transfer_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transferId: text('transfer_id')
      .notNull()
      .references(() => transfers.id),
    kind: assetKind('kind').notNull(),
    licenseId: integer('license_id').references(() => licenses.id),
    deviceId: integer('device_id').references(() => devices.id),
    /** `license:42` / `device:7`: one key for the partial unique index across both kinds. */
    assetKey: text('asset_key').notNull(),
    ref: text('ref').notNull(),
    pid: text('pid'),
    quantity: integer('quantity'),
    description: text('description'),
    result: itemResult('result').notNull().default('pending'),
    reason: jsonb('reason').$type<Msg>(),
    warnings: jsonb('warnings').$type<Msg[]>().notNull().default([]),
    /** True while the item holds its asset: the item is selected and its transfer is not terminal. */
    open: boolean('open').notNull().default(true),
    movedAt: ts('moved_at'),
    /** Why the item last failed to move: kept once it moved on retry, for the record of what held it back. */
    lastFailure: jsonb('last_failure').$type<Msg>(),
  },
  (t) => [
    // The database itself forbids one asset in two open transactions.
    uniqueIndex('transfer_items_one_open_uq')
      .on(t.assetKey)
      .where(sql`${t.open}`),
    index('transfer_items_transfer_idx').on(t.transferId),
    check(
      'transfer_items_kind_ck',
      sql`(${t.kind} = 'license') = (${t.licenseId} is not null) and (${t.kind} = 'device') = (${t.deviceId} is not null)`,
    ),
  ],
);

/** Half of each page is kept free (migration 0016), so a reminder's count is updated in place. */
export const consents = pgTable(
  'consents',
  {
    id: serial('id').primaryKey(),
    transferId: text('transfer_id')
      .notNull()
      .references(() => transfers.id),
    role: consentRole('role').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    requestedAt: ts('requested_at').notNull(),
    decision: decision('decision'),
    decidedById: integer('decided_by_id').references(() => users.id),
    decidedAt: ts('decided_at'),
    reason: text('reason'),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: ts('last_reminded_at'),
    /**
     * Since when the history says the person asked can no longer answer (the role the consent needs was
     * taken away while others asked still could); null while they may, as far as the history told. Whether
     * they may is read from their roles each time; this only keeps the history from telling it twice.
     */
    cannotAnswerSince: ts('cannot_answer_since'),
  },
  (t) => [
    // One row per person asked: a role may be asked of several people, the first answer deciding for all.
    uniqueIndex('consents_role_user_uq').on(t.transferId, t.role, t.userId),
    index('consents_user_idx').on(t.userId, t.transferId),
    index('consents_pending_idx')
      .on(t.requestedAt)
      .where(sql`${t.decision} is null`),
  ],
);

/** Append-only: triggers (see migrations) refuse UPDATE, DELETE and TRUNCATE. */
export const history = pgTable(
  'history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transferId: text('transfer_id'),
    at: ts('at').notNull(),
    actorId: integer('actor_id').references(() => users.id),
    /** Display form of the actor (e-mail, or `system`), kept even if the user record changes. */
    actor: text('actor').notNull(),
    surface: text('surface').notNull(),
    action: text('action').notNull(),
    fromStatus: transferStatus('from_status'),
    toStatus: transferStatus('to_status'),
    reason: text('reason'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('history_transfer_idx').on(t.transferId, t.id)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Unique per logical message, so a retried command never enqueues the same message twice. */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: ts('created_at').notNull(),
    dueAt: ts('due_at').notNull(),
    /**
     * A user, or a channel role such as `compliance`. Not a foreign key: every id here was read from
     * `users` in the transaction that queued the row, users are never deleted, and delivery refuses an id
     * it cannot find (a dead letter). The per-row check cost a 100,000-reminder sweep a sixth of its time
     * on the embedded database.
     */
    recipientUserId: integer('recipient_user_id'),
    recipientChannel: text('recipient_channel'),
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    state: outboxState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    /** The platform and where it landed (Slack channel + ts, Teams activity id), for later card updates. */
    deliveredTo: jsonb('delivered_to').$type<Record<string, unknown>>(),
    /**
     * The claim a worker holds the row by: the end of the lease it first took, kept while renewals push
     * `due_at` on. Null when no worker holds it (never claimed, given back, or waiting for a retry), so a
     * sole instance tells a dead process's claims from retries still to come due.
     */
    claim: ts('claim'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    // A claim walks the pending rows in this order and stops at its batch, so its cost is the batch's
    // whatever the backlog (a sweep leaves 100,000 reminders at once).
    index('outbox_due_order_idx')
      .on(t.dueAt, t.id)
      .where(sql`${t.state} = 'pending'`),
    // What a claim asks before taking a row: is an earlier message to the same recipient about the same
    // transfer still pending? The transfer leads: the recipient is compared with IS NOT DISTINCT FROM
    // (a channel's rows have none), which an index cannot look up, so a leading recipient column made
    // every question read the whole index.
    // Its condition names the pending rows without `state = 'pending'`, so that the claim's question, which
    // says it the same way, can be answered by this index alone (migration 0015).
    index('outbox_pending_transfer_idx')
      .on(sql`(${t.payload}->>'transferId')`, t.recipientUserId, t.id)
      .where(sql`${t.state} <> 'sent' and ${t.state} <> 'dead'`),
    // What waited for a person nobody could reach, looked for when they first can be (unreachedNotices).
    index('outbox_unreached_idx')
      .on(t.recipientUserId, t.id)
      .where(sql`${t.state} = 'dead' and ${t.lastError} = 'unreachable'`),
  ],
);

/** Where each decision card was posted, so every copy can be updated in place once decided. */
export const cards = pgTable(
  'cards',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transferId: text('transfer_id')
      .notNull()
      .references(() => transfers.id),
    decision: text('decision').notNull(),
    platform: text('platform').notNull(),
    recipientUserId: integer('recipient_user_id').references(() => users.id),
    /** Slack: { channel, ts }; Teams: { conversationId, activityId, serviceUrl }. */
    location: jsonb('location').$type<Record<string, string>>().notNull(),
    postedAt: ts('posted_at').notNull(),
  },
  (t) => [index('cards_transfer_idx').on(t.transferId, t.decision)],
);

/** Claims of scheduled work: one row per (transfer, kind, window), so a reminder is sent once. */
export const jobClaims = pgTable('job_claims', {
  key: text('key').primaryKey(),
  claimedAt: ts('claimed_at').notNull(),
  claimedBy: text('claimed_by').notNull(),
});

/**
 * The chat platforms `transfer-bot start` has served this database on, and since when: messages for a
 * person linked on one wait for it, rather than being taken by a process without it (the console).
 */
export const servedPlatforms = pgTable('served_platforms', {
  platform: text('platform').primaryKey(),
  firstServedAt: ts('first_served_at').notNull(),
});

/** Teams conversation references, stored so proactive messages survive a restart. */
export const conversationRefs = pgTable('conversation_refs', {
  teamsUserId: text('teams_user_id').primaryKey(),
  reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * A request journey in progress, kept by the bot rather than in a modal or a card: one per person and
 * surface, found again by its id, gone after `expiresAt` (the scheduled jobs sweep it).
 */
export const drafts = pgTable(
  'drafts',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    surface: text('surface').notNull(),
    state: jsonb('state').$type<Record<string, unknown>>().notNull(),
    /** Bumped on every change: the compare-and-set token. */
    version: integer('version').notNull().default(0),
    /** When the person started it: said when the bot offers it again (existing rows: the migration's time). */
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('drafts_user_surface').on(t.userId, t.surface),
    index('drafts_expires_at').on(t.expiresAt),
  ],
);

/**
 * Work a chat platform was told was received (Slack's ack) and that is not done yet: written before the
 * ack goes out, so a process that dies afterwards leaves it to whichever instance claims it next. The
 * request key is the request's digest, so the same request sent again (a replay, Slack's own retry) is
 * recognised by every instance and done once.
 */
export const workItems = pgTable(
  'work_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestKey: text('request_key').notNull(),
    surface: text('surface').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    receivedAt: ts('received_at').notNull(),
    /** Held by an instance until then; null: free for any instance to claim. */
    leaseUntil: ts('lease_until'),
    attempts: integer('attempts').notNull().default(0),
    doneAt: ts('done_at'),
  },
  (t) => [
    uniqueIndex('work_items_request_uq').on(t.requestKey),
    index('work_items_open_idx')
      .on(t.surface, t.leaseUntil)
      .where(sql`${t.doneAt} is null`),
    index('work_items_received_idx').on(t.receivedAt),
  ],
);

/**
 * Refusals of one actor on one transfer, counted per minute: the history holds the first of each minute,
 * and this count says how many there were.
 */
export const refusalCounts = pgTable('refusal_counts', {
  key: text('key').primaryKey(),
  transferId: text('transfer_id'),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  minute: ts('minute').notNull(),
  count: integer('count').notNull().default(1),
});
