// The statements the transfer repository (transfers-repo.ts) runs for every decision and every drawn
// transfer, built once (see `builtOnce`), and the select of consents it shares with them (a transfer
// read whole to be decided on or drawn: transfer-view-queries.ts).
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Q } from './client.js';
import { builtOnce } from './prepared.js';
import { consents, history, roleGrants, smartAccounts, transferItems, transfers, users } from './schema.js';

const decider = alias(users, 'decider');

/**
 * Whether the person a consent asks still holds the role it needs, as the inventory says now: admin of the
 * destination (transferee), or of the source from its own legal entity (transferor). `consent` names the
 * consents row of the statement it goes in (an alias, or the table itself).
 */
export function mayAnswerOf(consent: 'c' | 'consents'): SQL<boolean> {
  const c = sql.raw(consent === 'c' ? 'c' : '"consents"');
  return sql<boolean>`exists (select 1 from ${transfers} mt
    join ${roleGrants} mg on mg.user_id = ${c}.user_id and mg.role = 'admin'
      and mg.smart_account_id = case when ${c}.role = 'transferee'
        then mt.destination_smart_account_id else mt.source_smart_account_id end
    join ${users} mu on mu.id = mg.user_id
    join ${smartAccounts} ms on ms.id = mg.smart_account_id
    where mt.id = ${c}.transfer_id
      and (${c}.role = 'transferee' or mu.legal_entity_id = ms.legal_entity_id))`;
}

/** Consents with the name of who decided each, in the order they were asked, and whether each may still be given. */
export const consentRowsOn = (q: Q, which: SQL) =>
  q
    .select({ consent: consents, deciderName: decider.name, mayAnswer: mayAnswerOf('consents') })
    .from(consents)
    .leftJoin(decider, eq(decider.id, consents.decidedById))
    .where(which)
    .orderBy(asc(consents.id));

// What reading one transfer and drawing it runs most: built once (see `builtOnce`).
export const ROW = builtOnce('transfer', (q) =>
  q
    .select()
    .from(transfers)
    .where(eq(transfers.id, sql.placeholder('id'))),
);
export const ITEMS = builtOnce('transfer items', (q) =>
  q
    .select()
    .from(transferItems)
    .where(eq(transferItems.transferId, sql.placeholder('id')))
    .orderBy(asc(transferItems.id)),
);
export const HISTORY = builtOnce('transfer history', (q) =>
  q
    .select()
    .from(history)
    .where(eq(history.transferId, sql.placeholder('id')))
    .orderBy(asc(history.id)),
);

/** A transfer's compare-and-set that changes its status alone, as most steps of a decision do. */
export const SET_STATUS = builtOnce('transfer status', (q) =>
  q
    .update(transfers)
    .set({
      status: sql`${sql.placeholder('status')}`,
      updatedAt: sql`${sql.placeholder('updatedAt')}::timestamptz`,
      version: sql`${transfers.version} + 1`,
    })
    .where(
      and(
        eq(transfers.id, sql.placeholder('id')),
        eq(transfers.status, sql.placeholder('expectedStatus')),
        eq(transfers.version, sql.placeholder('expectedVersion')),
      ),
    )
    .returning({ id: transfers.id }),
);
/** A consent answered: the one write every consent decision makes besides the transfer's own. */
export const ANSWER_CONSENT = builtOnce('answer consent', (q) =>
  q
    .update(consents)
    .set({
      decision: sql`${sql.placeholder('decision')}`,
      decidedById: sql`${sql.placeholder('decidedById')}`,
      decidedAt: sql`${sql.placeholder('decidedAt')}::timestamptz`,
      reason: sql`${sql.placeholder('reason')}`,
    })
    .where(
      and(
        eq(consents.transferId, sql.placeholder('transferId')),
        eq(consents.role, sql.placeholder('role')),
        isNull(consents.decision),
      ),
    ),
);
