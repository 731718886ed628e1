// A transfer read whole in few statements: its row with its consents (what a decision reads), and what
// drawing it adds — the names it shows and its items with their assets' facts — each one statement keyed
// by the transfer's id alone, so they go to the database side by side. Built once (see `builtOnce`).
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { ConsentState, StatusLeft } from '../src/domain/types.js';
import type { DescribedItem, ViewNames } from '../src/app/ports/transfers.js';
import { builtOnce } from './prepared.js';
import { mayAnswerOf } from './transfer-queries.js';
import {
  consents,
  devices,
  history,
  legalEntities,
  licenses,
  smartAccounts,
  transferItems,
  transfers,
  users,
  virtualAccounts,
} from './schema.js';

// The subqueries name the outer row's columns in full (`transfers.…`): drizzle writes a column of a
// one-table select without its table, which a subquery's own tables would take for theirs.

/**
 * The transfer's consents in the order they were asked, as one JSON array (text) of
 * [role, user id, decision, decided by id, decided at, reason, name of who decided, whether the person
 * may still answer, since when the history says they cannot, how many reminders they were sent].
 */
const ASKED = sql<string>`(select coalesce(jsonb_agg(jsonb_build_array(c.role, c.user_id, c.decision,
    c.decided_by_id, c.decided_at, c.reason, d.name, ${mayAnswerOf('c')}, c.cannot_answer_since, c.reminders_sent)
    order by c.id), '[]'::jsonb)::text
  from ${consents} c left join ${users} d on d.id = c.decided_by_id where c.transfer_id = transfers.id)`;

/** Who screened the transfer, by name as the user records have it now. */
const SCREENER = sql<string | null>`(select s.name from ${users} s where s.id = transfers.screened_by_id)`;

/** The people the transfer names (requester, transferee, named transferor, consenters, screener): [id, name, e-mail] each. */
const PEOPLE = sql<string>`(select coalesce(jsonb_agg(jsonb_build_array(u.id, u.name, u.email)), '[]'::jsonb)::text
  from ${users} u
  where u.id = any(array[transfers.requester_id, transfers.transferee_id, transfers.transferor_id, transfers.screened_by_id]
    || array(select k.user_id from ${consents} k where k.transfer_id = transfers.id)))`;

/** Its two Smart Accounts: [id, domain, name, legal entity's name] each. */
const ACCOUNTS = sql<string>`(select coalesce(jsonb_agg(jsonb_build_array(a.id, a.domain, a.name, e.name)), '[]'::jsonb)::text
  from ${smartAccounts} a left join ${legalEntities} e on e.id = a.legal_entity_id
  where a.id in (transfers.source_smart_account_id, transfers.destination_smart_account_id))`;

/** Its Virtual Accounts (destination, and source when it has one): [id, name] each. */
const VIRTUAL_ACCOUNTS = sql<string>`(select coalesce(jsonb_agg(jsonb_build_array(v.id, v.name)), '[]'::jsonb)::text
  from ${virtualAccounts} v
  where v.id in (transfers.source_virtual_account_id, transfers.destination_virtual_account_id))`;

/**
 * The statuses the transfer has left, in order, as one JSON array (text) of [status left, name of who
 * moved it on (null for the bot's own step), when]: the record's status changes.
 */
const LEFT = sql<string>`(select coalesce(jsonb_agg(jsonb_build_array(h.from_status, u.name, h.at) order by h.id), '[]'::jsonb)::text
  from ${history} h left join ${users} u on u.id = h.actor_id
  where h.transfer_id = transfers.id and h.from_status is not null)`;

const byId = eq(transfers.id, sql.placeholder('id'));

/** The row, its consents and the statuses it has left: what a decision reads, one statement. */
export const STATE = builtOnce('transfer state', (q) =>
  q.select({ row: transfers, asked: ASKED, screener: SCREENER, left: LEFT }).from(transfers).where(byId),
);

/** The row held for the rest of the transaction (`select … for update`): see `lockForDecision`. */
export const LOCK = builtOnce('transfer lock', (q) =>
  q.select({ id: transfers.id }).from(transfers).where(byId).for('update'),
);

/** The same, and the names drawing it shows: one statement for a transfer read to be drawn. */
export const VIEW_HEAD = builtOnce('transfer view head', (q) =>
  q
    .select({
      row: transfers,
      asked: ASKED,
      screener: SCREENER,
      people: PEOPLE,
      accounts: ACCOUNTS,
      virtualAccounts: VIRTUAL_ACCOUNTS,
    })
    .from(transfers)
    .where(byId),
);

/** The names alone, for a transfer whose row was read without them. */
export const NAMES = builtOnce('transfer names', (q) =>
  q
    .select({ people: PEOPLE, accounts: ACCOUNTS, virtualAccounts: VIRTUAL_ACCOUNTS })
    .from(transfers)
    .where(byId),
);

/**
 * Whether an item is among the first `described` of its transfer in the order views show them (the failed,
 * then those with warnings, then the rest, each in the order added: `inShowingOrder`), so the items a view
 * shows first are those described. As the join's key, so an item past them costs no lookup of its asset.
 */
const describedOnly = (assetId: SQL) => sql`case when ${transferItems.id} in (select i.id
  from ${transferItems} i where i.transfer_id = ${sql.placeholder('id')}
  order by case when i.result = 'failed' then 0 when jsonb_array_length(i.warnings) > 0 then 1 else 2 end, i.id
  limit ${sql.placeholder('described')}) then ${assetId} end`;

/** A transfer's items in the order added, each of the first `described` (in showing order) with the facts of its asset as the inventory has it. */
export const ITEMS_DESCRIBED = builtOnce('transfer items described', (q) =>
  q
    .select({
      item: transferItems,
      licenseId: licenses.id,
      licenseType: licenses.licenseType,
      webOrder: licenses.webOrder,
      subscriptionId: licenses.subscriptionId,
      pak: licenses.pak,
      minorLines: licenses.minorLines,
      deviceId: devices.id,
      deviceLicenseType: devices.licenseType,
      hostId: devices.hostId,
      uuid: devices.uuid,
      pnpStatus: devices.pnpStatus,
      registration: devices.registration,
    })
    .from(transferItems)
    .leftJoin(licenses, eq(licenses.id, describedOnly(sql`${transferItems.licenseId}`)))
    .leftJoin(devices, eq(devices.id, describedOnly(sql`${transferItems.deviceId}`)))
    .where(eq(transferItems.transferId, sql.placeholder('id')))
    .orderBy(asc(transferItems.id)),
);

/** Each consent as ASKED writes it. */
type AskedJson = [
  ConsentState['role'],
  number,
  ConsentState['decision'],
  number | null,
  string | null,
  string | null,
  string | null,
  boolean,
  string | null,
  number,
];

export function consentsOfJson(asked: string): ConsentState[] {
  return (JSON.parse(asked) as AskedJson[]).map(
    ([
      role,
      userId,
      decision,
      decidedById,
      decidedAt,
      reason,
      decidedByName,
      mayAnswer,
      cannotSince,
      reminded,
    ]) => ({
      role,
      userId,
      decision,
      decidedById,
      decidedByName,
      // PostgreSQL writes a timestamp into JSON with its offset and microseconds: a Date keeps the
      // milliseconds, as the driver's own reading of the column does.
      decidedAt: decidedAt === null ? null : new Date(decidedAt),
      reason,
      mayAnswer,
      cannotAnswerSince: cannotSince === null ? null : new Date(cannotSince),
      remindersSent: reminded,
    }),
  );
}

/** The statuses left as LEFT writes them. */
export function statusesLeftOfJson(left: string): StatusLeft[] {
  return (JSON.parse(left) as [StatusLeft['from'], string | null, string][]).map(([from, byName, at]) => ({
    from,
    byName,
    // As for a consent's date: PostgreSQL writes the offset and microseconds; a Date keeps milliseconds.
    at: new Date(at),
  }));
}

export function namesOfJson(found: { people: string; accounts: string; virtualAccounts: string }): ViewNames {
  const people = JSON.parse(found.people) as [number, string, string][];
  const accounts = JSON.parse(found.accounts) as [number, string, string, string | null][];
  const virtualAccounts = JSON.parse(found.virtualAccounts) as [number, string][];
  return {
    people: new Map(people.map(([id, name, email]) => [id, { name, email }])),
    accounts: new Map(
      accounts.map(([id, domain, name, legalEntityName]) => [id, { domain, name, legalEntityName }]),
    ),
    virtualAccounts: new Map(virtualAccounts.map(([id, name]) => [id, { name }])),
  };
}

type DescribedRow = Awaited<ReturnType<ReturnType<(typeof ITEMS_DESCRIBED)['on']>>>[number];

export function describedItem(found: DescribedRow): DescribedItem {
  const { item } = found;
  if (found.licenseId !== null)
    return {
      item,
      facts: {
        licenseType: found.licenseType,
        webOrder: found.webOrder,
        subscriptionId: found.subscriptionId,
        pak: found.pak,
        hostId: null,
        uuid: null,
        pnpStatus: null,
        registration: null,
        minorLines: found.minorLines ?? [],
      },
    };
  if (found.deviceId !== null)
    return {
      item,
      facts: {
        licenseType: found.deviceLicenseType,
        webOrder: null,
        subscriptionId: null,
        pak: null,
        hostId: found.hostId,
        uuid: found.uuid,
        pnpStatus: found.pnpStatus,
        registration: found.registration,
        minorLines: [],
      },
    };
  return { item, facts: null };
}
