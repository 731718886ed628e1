import { sql, type SQL } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { MinorLine } from '../../src/app/ports/assets.js';
import { ts } from './columns.js';

export const licenseType = pgEnum('license_type', ['smart', 'classic', 'subscription']);
export const purchaseModel = pgEnum('purchase_model', ['standard', 'enterprise_agreement']);
export const registration = pgEnum('device_registration', ['direct', 'cslu', 'ssm_onprem']);

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
    globalRoles: text('global_roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    currentSmartAccountId: integer('current_smart_account_id').references(() => smartAccounts.id),
  },
  (t) => [uniqueIndex('users_email_uq').on(sql`lower(${t.email})`)],
);

/**
 * Who a person is on each chat platform: one row per (platform, id), so a new surface needs no change
 * of `users`. An id belongs to one person, and a person has one id per platform.
 */
export const userIdentities = pgTable(
  'user_identities',
  {
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /**
     * The language the platform last said this person uses there ('en-US', 'fr-FR'), as the platform
     * spells it, their time zone there ('Asia/Tokyo': Slack's, Teams says none), and when it said them:
     * Teams with each activity, Slack when asked (users.info). A field the platform did not say is kept.
     */
    locale: text('locale'),
    timeZone: text('time_zone'),
    localeAt: ts('locale_at'),
    /**
     * When this person last spoke to the bot here (a command, a click, a message), renewed when they move
     * to this platform or once a day: a person linked on several platforms is reached on the one heard last.
     */
    heardAt: ts('heard_at'),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.externalId] }),
    // The person leads: every read of a person gathers their ids by it (a server before PostgreSQL 18
    // cannot look up a second column alone, and read the whole table for each person).
    uniqueIndex('user_identities_user_uq').on(t.userId, t.platform),
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

/** Every asset has an id and sits in one Virtual Account of one Smart Account. */
const heldIn = () => ({
  id: serial('id').primaryKey(),
  smartAccountId: integer('smart_account_id')
    .notNull()
    .references(() => smartAccounts.id),
  virtualAccountId: integer('virtual_account_id')
    .notNull()
    .references(() => virtualAccounts.id),
});

/**
 * An identifier's value as a number, for ordering: sales orders and their lines are text in the inventory,
 * where line 10 comes before line 2. A value that is not a plain number of at most 18 digits has none, and
 * comes after the numbered ones (among them in text order). The listing's order and its indexes say it
 * with this one expression: an index serves an order only when both say the same.
 */
export const numberOf = (identifier: AnyPgColumn): SQL =>
  sql`(case when ${identifier} ~ '^[0-9]{1,18}$' then ${identifier}::bigint end)`;

/** A typeahead index: prefix search on one identifier within one Smart Account. */
const prefixIndex = (name: string, account: AnyPgColumn, identifier: SQL) =>
  index(name).on(account, sql`${identifier} text_pattern_ops`);

export const licenses = pgTable(
  'licenses',
  {
    ...heldIn(),
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
    // A sales order's lines come in their numbers' order, after the prefix typed (line 2 before line 10).
    index('licenses_sa_so_idx').on(
      t.smartAccountId,
      sql`lower(${t.salesOrder}) text_pattern_ops`,
      numberOf(t.line),
      t.line,
    ),
    prefixIndex('licenses_sa_wo_idx', t.smartAccountId, sql`lower(${t.webOrder})`),
    prefixIndex('licenses_sa_sub_idx', t.smartAccountId, sql`lower(${t.subscriptionId})`),
    prefixIndex('licenses_sa_pak_idx', t.smartAccountId, sql`lower(${t.pak})`),
    prefixIndex('licenses_sa_pid_idx', t.smartAccountId, sql`lower(${t.pid})`),
    // Listing order (an empty search): sales orders, then their lines, compared as numbers, the texts
    // breaking ties (a sales order and line name one license). Free text: words anywhere in the
    // description (pg_trgm).
    index('licenses_sa_order_idx').on(
      t.smartAccountId,
      numberOf(t.salesOrder),
      t.salesOrder,
      numberOf(t.line),
      t.line,
    ),
    index('licenses_description_trgm_idx').using('gin', sql`lower(${t.description}) gin_trgm_ops`),
  ],
);

export const devices = pgTable(
  'devices',
  {
    ...heldIn(),
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
    prefixIndex('devices_sa_serial_idx', t.smartAccountId, sql`upper(${t.serialNumber})`),
    prefixIndex('devices_sa_pid_idx', t.smartAccountId, sql`lower(${t.pid})`),
    prefixIndex('devices_sa_host_idx', t.smartAccountId, sql`lower(${t.hostId})`),
    prefixIndex('devices_sa_uuid_idx', t.smartAccountId, sql`lower(${t.uuid})`),
    index('devices_sa_order_idx').on(t.smartAccountId, t.serialNumber),
  ],
);
