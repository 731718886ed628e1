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
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { STATUSES } from '../src/domain/status.js';

// Enumerations come from src/ so the domain and the database cannot drift.
export const transferStatus = pgEnum('transfer_status', STATUSES);
export const licenseType = pgEnum('license_type', ['smart', 'classic', 'subscription']);
export const purchaseModel = pgEnum('purchase_model', ['standard', 'enterprise_agreement']);
export const registration = pgEnum('device_registration', ['direct', 'cslu', 'ssm_onprem']);
export const assetKind = pgEnum('asset_kind', ['license', 'device']);
export const itemResult = pgEnum('item_result', ['pending', 'transferred', 'failed', 'excluded']);
export const consentRole = pgEnum('consent_role', ['transferee', 'transferor']);
export const decision = pgEnum('decision', ['approved', 'rejected']);
export const outboxState = pgEnum('outbox_state', ['pending', 'sent', 'dead']);

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const legalEntities = pgTable('legal_entities', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  country: text('country'),
  address: text('address'),
  parentId: text('parent_id'),
});

export const smartAccounts = pgTable(
  'smart_accounts',
  {
    id: serial('id').primaryKey(),
    domain: text('domain').notNull(),
    name: text('name').notNull(),
    legalEntityId: text('legal_entity_id').references(() => legalEntities.id),
  },
  (t) => [
    uniqueIndex('smart_accounts_domain_uq').on(sql`lower(${t.domain})`),
    index('smart_accounts_name_idx').on(sql`lower(${t.name})`),
  ],
);

export const virtualAccounts = pgTable(
  'virtual_accounts',
  {
    id: serial('id').primaryKey(),
    smartAccountId: integer('smart_account_id')
      .notNull()
      .references(() => smartAccounts.id),
    name: text('name').notNull(),
    onPrem: boolean('on_prem').notNull().default(false),
  },
  (t) => [uniqueIndex('virtual_accounts_name_uq').on(t.smartAccountId, sql`lower(${t.name})`)],
);

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    locale: text('locale'),
    timeZone: text('time_zone'),
    legalEntityId: text('legal_entity_id').references(() => legalEntities.id),
    slackUserId: text('slack_user_id'),
    teamsUserId: text('teams_user_id'),
    globalRoles: text('global_roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    currentSmartAccountId: integer('current_smart_account_id').references(() => smartAccounts.id),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(sql`lower(${t.email})`),
    uniqueIndex('users_slack_uq').on(t.slackUserId),
    uniqueIndex('users_teams_uq').on(t.teamsUserId),
  ],
);

export const roleGrants = pgTable(
  'role_grants',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    smartAccountId: integer('smart_account_id')
      .notNull()
      .references(() => smartAccounts.id),
    role: text('role', { enum: ['admin', 'user'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.smartAccountId] }),
    index('role_grants_sa_idx').on(t.smartAccountId),
  ],
);

export interface MinorLine {
  line: string;
  pid: string;
  quantity: number;
}

export const licenses = pgTable(
  'licenses',
  {
    id: serial('id').primaryKey(),
    smartAccountId: integer('smart_account_id')
      .notNull()
      .references(() => smartAccounts.id),
    virtualAccountId: integer('virtual_account_id')
      .notNull()
      .references(() => virtualAccounts.id),
    salesOrder: text('sales_order').notNull(),
    line: text('line').notNull(),
    pid: text('pid').notNull(),
    description: text('description'),
    quantity: integer('quantity').notNull(),
    licenseType: licenseType('license_type').notNull(),
    webOrder: text('web_order'),
    subscriptionId: text('subscription_id'),
    pak: text('pak'),
    purchaseModel: purchaseModel('purchase_model').notNull().default('standard'),
    pendingUpgrade: boolean('pending_upgrade').notNull().default(false),
    inUse: integer('in_use').notNull().default(0),
    reserved: boolean('reserved').notNull().default(false),
    minorLines: jsonb('minor_lines').$type<MinorLine[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('licenses_line_uq').on(t.salesOrder, t.line),
    // Typeahead searches are prefix searches within one Smart Account, one index per identifier, each
    // read in its own order so a search touches at most a page of rows whatever the account's size.
    index('licenses_sa_so_idx').on(t.smartAccountId, sql`lower(${t.salesOrder}) text_pattern_ops`, t.line),
    index('licenses_sa_wo_idx').on(t.smartAccountId, sql`lower(${t.webOrder}) text_pattern_ops`),
    index('licenses_sa_sub_idx').on(t.smartAccountId, sql`lower(${t.subscriptionId}) text_pattern_ops`),
    index('licenses_sa_pak_idx').on(t.smartAccountId, sql`lower(${t.pak}) text_pattern_ops`),
    index('licenses_sa_pid_idx').on(t.smartAccountId, sql`lower(${t.pid}) text_pattern_ops`),
    // Listing order (an empty search), and free text: words anywhere in the description (pg_trgm).
    index('licenses_sa_order_idx').on(t.smartAccountId, t.salesOrder, t.line),
    index('licenses_description_trgm_idx').using('gin', sql`lower(${t.description}) gin_trgm_ops`),
  ],
);

export const devices = pgTable(
  'devices',
  {
    id: serial('id').primaryKey(),
    smartAccountId: integer('smart_account_id')
      .notNull()
      .references(() => smartAccounts.id),
    virtualAccountId: integer('virtual_account_id')
      .notNull()
      .references(() => virtualAccounts.id),
    serialNumber: text('serial_number').notNull(),
    pid: text('pid').notNull(),
    hostId: text('host_id'),
    uuid: text('uuid'),
    licenseType: licenseType('license_type'),
    pnpStatus: text('pnp_status'),
    salesOrder: text('sales_order'),
    registration: registration('registration').notNull().default('direct'),
  },
  (t) => [
    uniqueIndex('devices_serial_uq').on(sql`upper(${t.serialNumber})`),
    index('devices_sa_serial_idx').on(t.smartAccountId, sql`upper(${t.serialNumber}) text_pattern_ops`),
    index('devices_sa_pid_idx').on(t.smartAccountId, sql`lower(${t.pid}) text_pattern_ops`),
    index('devices_sa_host_idx').on(t.smartAccountId, sql`lower(${t.hostId}) text_pattern_ops`),
    index('devices_sa_uuid_idx').on(t.smartAccountId, sql`lower(${t.uuid}) text_pattern_ops`),
    index('devices_sa_order_idx').on(t.smartAccountId, t.serialNumber),
  ],
);

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
    cancelReason: jsonb('cancel_reason').$type<{ key: string; params?: Record<string, string | number> }>(),
  },
  (t) => [
    index('transfers_source_idx').on(t.sourceSmartAccountId, t.createdAt),
    index('transfers_destination_idx').on(t.destinationSmartAccountId, t.createdAt),
    index('transfers_requester_idx').on(t.requesterId),
    index('transfers_status_idx').on(t.status, t.updatedAt),
  ],
);

export interface ItemNote {
  key: string;
  params?: Record<string, string | number>;
}

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
    reason: jsonb('reason').$type<ItemNote>(),
    warnings: jsonb('warnings').$type<ItemNote[]>().notNull().default([]),
    /** True while the item holds its asset: the item is selected and its transfer is not terminal. */
    open: boolean('open').notNull().default(true),
    movedAt: ts('moved_at'),
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
  },
  (t) => [
    uniqueIndex('consents_role_uq').on(t.transferId, t.role),
    index('consents_pending_idx')
      .on(t.requestedAt)
      .where(sql`${t.decision} is null`),
  ],
);

/** Append-only: a trigger (see migrations) refuses UPDATE and DELETE. */
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

export interface OutboxPayload {
  /** What to deliver: a text message, a decision card (rendered fresh at delivery), a card refresh, or a file. */
  type: 'message' | 'card' | 'card_refresh' | 'file';
  transferId?: string;
  /** For cards: which decision (`consent:transferee`, `consent:transferor`, `compliance`). */
  decision?: string;
  text?: ItemNote;
  lines?: ItemNote[];
  file?: { path: string; name: string };
}

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Unique per logical message, so a retried command never enqueues the same message twice. */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: ts('created_at').notNull(),
    dueAt: ts('due_at').notNull(),
    /** A user, or a channel role such as `compliance`. */
    recipientUserId: integer('recipient_user_id').references(() => users.id),
    recipientChannel: text('recipient_channel'),
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    state: outboxState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    /** The platform and where it landed (Slack channel + ts, Teams activity id), for later card updates. */
    deliveredTo: jsonb('delivered_to').$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    index('outbox_due_idx')
      .on(t.dueAt)
      .where(sql`${t.state} = 'pending'`),
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

/** Teams conversation references, stored so proactive messages survive a restart. */
export const conversationRefs = pgTable('conversation_refs', {
  teamsUserId: text('teams_user_id').primaryKey(),
  reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull(),
});
