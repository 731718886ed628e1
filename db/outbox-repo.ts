import { and, count, desc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { CardRepository, Claimed, OutboxRepository } from '../src/app/ports/outbox.js';
import { enqueueMany } from './bulk-writes.js';
import { outboxWaiting } from './outbox-waiting.js';
import { rowsOf, type Q } from './client.js';
import { builtOnce } from './prepared.js';
import { cards, consents, outbox, transfers } from './schema.js';

/** Beyond this many messages, one JSON parameter carries them all (see bulk-writes.ts). */
const ENTRIES_PER_VALUES = 50;

/**
 * The row as long as the claim holds: still pending, still under the claim that took it. Renewing the
 * lease moves `due_at`, never `claim`; another worker that takes the row over writes a claim of its own.
 */
const held = (claimed: Claimed) =>
  and(eq(outbox.id, claimed.row.id), eq(outbox.state, 'pending'), eq(outbox.claim, claimed.lease));

/**
 * Claims the messages due (see `claimDue` below), built once (see `builtOnce`): every worker runs it each
 * time the outbox is written and on every poll. `outbox_claimable` (migrations 0014, 0015, 0027) chooses them:
 * in the order they came due, none held back by an earlier message to the same recipient about the same
 * transfer that is still pending (so each person reads a transfer's messages in the order they were
 * written; an escalation held until its reader's working hours takes its place when it comes due), with FOR UPDATE SKIP LOCKED so concurrent workers take disjoint rows. It walks the due messages
 * in order and asks about each through its transfer, stopping at the batch, so a claim costs its batch
 * whatever waits and whatever the statistics say (test/db/outbox-claim.test.ts): a claim that left that
 * walk to the planner read every message due when its statistics were stale, as they are after a reminder
 * sweep (2.4 s a claim at 30,000 waiting, 150 s at 100,000), and one whose question was a join read every
 * earlier message for each once the outbox had been busy, then emptied. Pushing due_at to the end of the
 * lease hides the rows from everyone else until then (the worker pushes it on while it still works on them,
`renewLeases`); `claim` says which claim holds them. One statement: a claim in a transaction of its own
 * (to set the planner's choices) met a driver fault that ends the process when the server's connection
 * drops during a transaction (postgres.js issue 1208).
 */
const CLAIM_DUE = builtOnce('outbox claim', (q) =>
  q
    .update(outbox)
    .set({
      dueAt: sql`${sql.placeholder('leaseUntil')}::timestamptz`,
      claim: sql`${sql.placeholder('leaseUntil')}::timestamptz`,
    })
    .where(
      sql`${outbox.id} = any(array(select outbox_claimable(${sql.placeholder('now')}::timestamptz, ${sql.placeholder('limit')}::integer)))`,
    )
    .returning(),
);

/**
 * A card posted, and the message's progress, in one statement (see `saveCardProgress`), built once: every
 * decision card posted runs it. PostgreSQL runs an insert in a WITH to its end whether or not the update
 * uses it, and the statement is all or nothing. It also answers the transfer's version under a share lock
 * on its row, which every decision's compare-and-set updates: a decision still in flight is waited for and
 * its version seen, and one that starts later commits after this card's row, so its refresh finds the card.
 */
const SAVE_CARD_PROGRESS = builtOnce('card posted', (q) => {
  const current = q.$with('current').as(
    q
      .select({ version: transfers.version })
      .from(transfers)
      .where(eq(transfers.id, sql.placeholder('transferId')))
      .for('share'),
  );
  const posted = q.$with('posted').as(
    q
      .insert(cards)
      .values({
        transferId: sql.placeholder('transferId'),
        decision: sql.placeholder('decision'),
        platform: sql.placeholder('platform'),
        recipientUserId: sql.placeholder('recipientUserId'),
        location: sql`${sql.placeholder('location')}::jsonb`,
        postedAt: sql`${sql.placeholder('postedAt')}::timestamptz`,
      })
      .returning({ id: cards.id }),
  );
  return q
    .with(current, posted)
    .update(outbox)
    .set({ deliveredTo: sql`${sql.placeholder('deliveredTo')}::jsonb` })
    .where(
      and(
        eq(outbox.id, sql.placeholder('id')),
        eq(outbox.state, 'pending'),
        eq(outbox.claim, sql`${sql.placeholder('lease')}::timestamptz`),
      ),
    )
    .returning({ id: outbox.id, transferVersion: sql<number | null>`(select version from current)` });
});

export function outboxRepository(q: Q): OutboxRepository {
  const claimDue = CLAIM_DUE.on(q);
  const cardProgress = SAVE_CARD_PROGRESS.on(q);

  /** An update of a claimed row: false when the lease was lost meanwhile. */
  const updateHeld = async (claimed: Claimed, set: Partial<typeof outbox.$inferInsert>) => {
    const rows = await q.update(outbox).set(set).where(held(claimed)).returning({ id: outbox.id });
    return rows.length === 1;
  };

  return {
    async enqueue(now, entries) {
      if (entries.length > ENTRIES_PER_VALUES) {
        await enqueueMany(q, now, entries);
        return;
      }
      if (entries.length === 0) return;
      await q
        .insert(outbox)
        .values(
          entries.map((entry) => ({
            dedupeKey: entry.dedupeKey,
            createdAt: now,
            dueAt: entry.dueAt ?? now,
            recipientUserId: entry.recipientUserId ?? null,
            recipientChannel: entry.recipientChannel ?? null,
            payload: entry.payload,
          })),
        )
        .onConflictDoNothing({ target: outbox.dedupeKey });
    },

    async claimDue(now, leaseUntil, limit) {
      const rows = await claimDue({ now: now.toISOString(), leaseUntil: leaseUntil.toISOString(), limit });
      rows.sort((a, b) => a.id - b.id);
      return rows.map((row) => ({ row, lease: leaseUntil }));
    },

    saveProgress: (claimed, deliveredTo) => updateHeld(claimed, { deliveredTo: { ...deliveredTo } }),

    async saveCardProgress(claimed, card, deliveredTo) {
      const rows = await cardProgress({
        transferId: card.transferId,
        decision: card.decision,
        platform: card.platform,
        recipientUserId: card.recipientUserId,
        location: JSON.stringify(card.location),
        postedAt: card.postedAt.toISOString(),
        deliveredTo: JSON.stringify(deliveredTo),
        id: claimed.row.id,
        lease: claimed.lease.toISOString(),
      });
      const [row] = rows;
      return row ? { kept: true, transferVersion: row.transferVersion } : { kept: false };
    },

    async markSent(sent, now) {
      if (sent.length === 0) return new Set();
      // One statement for the batch, the rows as one JSON parameter; each row still compare-and-set on
      // its lease, as `held` does for a single row. The rows are found by their ids (`any` of an array,
      // through the primary key), and the state is compared as text, which no partial index of pending
      // messages answers: with the JSON joined directly and `state = 'pending'`, the server took every
      // pending message through such an index and hashed them to find the batch whenever its statistics
      // said few wait (test/db/outbox-claim.test.ts: 3,025 rows read to mark 25 sent, 3,000 waiting; 75 now).
      const json = JSON.stringify(
        sent.map(({ claimed, deliveredTo }) => ({
          id: claimed.row.id,
          lease: claimed.lease.toISOString(),
          delivered_to: deliveredTo,
        })),
      );
      const result = await q.execute(sql`
        with x as materialized (
          select (e->>'id')::bigint as id, (e->>'lease')::timestamptz as lease, e->'delivered_to' as delivered_to
            from jsonb_array_elements(${json}::jsonb) as e)
        update outbox
        set state = 'sent', sent_at = ${now.toISOString()}::timestamptz, delivered_to = x.delivered_to,
            last_error = null
        from x
        where outbox.id = any(array(select id from x)) and outbox.id = x.id
          and outbox.state::text = 'pending' and outbox.claim = x.lease
        returning outbox.id`);
      return new Set(rowsOf<{ id: number }>(result).map((row) => Number(row.id)));
    },

    async renewLeases(held, leaseUntil) {
      if (held.length === 0) return new Set();
      // As markSent: one statement, the rows found by their ids, each still under its own claim.
      const json = JSON.stringify(
        held.map((claimed) => ({ id: claimed.row.id, claim: claimed.lease.toISOString() })),
      );
      const result = await q.execute(sql`
        with x as materialized (
          select (e->>'id')::bigint as id, (e->>'claim')::timestamptz as claim
            from jsonb_array_elements(${json}::jsonb) as e)
        update outbox set due_at = ${leaseUntil.toISOString()}::timestamptz
        from x
        where outbox.id = any(array(select id from x)) and outbox.id = x.id
          and outbox.state::text = 'pending' and outbox.claim = x.claim
        returning outbox.id`);
      return new Set(rowsOf<{ id: number }>(result).map((row) => Number(row.id)));
    },

    async handBackClaims(now) {
      // Only rows still hidden (due later) can be held; through the due-order index, from now on. A row
      // waiting for its retry has no claim and keeps its time.
      const rows = await q
        .update(outbox)
        .set({ dueAt: now, claim: null })
        .where(
          and(
            sql`${outbox.state} = 'pending'`,
            sql`${outbox.dueAt} > ${now.toISOString()}::timestamptz`,
            isNotNull(outbox.claim),
          ),
        )
        .returning({ id: outbox.id });
      return rows.length;
    },

    markRetry: (claimed, dueAt, attempts, error) =>
      updateHeld(claimed, { dueAt, claim: null, attempts, lastError: error }),

    markDead: (claimed, attempts, error) =>
      updateHeld(claimed, { state: 'dead', attempts, lastError: error }),

    async release(claimed, now) {
      await q.update(outbox).set({ dueAt: now, claim: null }).where(held(claimed));
    },

    async pendingCount() {
      // The state as the partial index of pending messages states it, so that any plan the server keeps
      // counts them from that index alone, not from every message kept (test/db/partial-index-plans.test.ts).
      const [row] = await q
        .select({ n: count() })
        .from(outbox)
        .where(sql`${outbox.state} = 'pending'`);
      return Number(row?.n ?? 0);
    },

    async forgetDelivered(writtenBefore, limit) {
      // The oldest messages by id, which is the order they were written: one read of the first row when
      // none is old enough, at most `limit` otherwise, whatever the table holds. A message still pending
      // stays (its delivery is not over) and is among those the next batch looks at again.
      const before = writtenBefore.toISOString();
      const [row] = rowsOf<{ n: number }>(
        await q.execute(sql`
          with oldest as (
            select id, state, created_at from outbox
            where (select o.created_at from outbox o order by o.id limit 1) < ${before}::timestamptz
            order by id
            limit ${limit}
          ), forgotten as (
            delete from outbox using oldest
            where outbox.id = oldest.id and oldest.state <> 'pending' and oldest.created_at < ${before}::timestamptz
            returning 1
          )
          select count(*)::int as n from forgotten`),
      );
      return Number(row?.n ?? 0);
    },

    async addressedTo(userId, channel, limit) {
      const mine = eq(outbox.recipientUserId, userId);
      const where =
        channel === null
          ? mine
          : or(mine, and(isNull(outbox.recipientUserId), eq(outbox.recipientChannel, channel)));
      const latest = await q.select().from(outbox).where(where).orderBy(desc(outbox.id)).limit(limit);
      return latest.reverse();
    },

    ...outboxWaiting(q),
  };
}

/** Read each time a transfer's cards are refreshed (see `builtOnce`). */
const POSTED = builtOnce('cards posted', (q) =>
  q
    .select()
    .from(cards)
    .where(eq(cards.transferId, sql.placeholder('id')))
    .orderBy(cards.id),
);

export function cardRepository(q: Q): CardRepository {
  const posted = POSTED.on(q);
  return {
    postedFor(transferId) {
      return posted({ id: transferId });
    },
    async screeningsPostedTo(userIds) {
      if (userIds.length === 0) return [];
      const result = await q.execute(sql`
        select p.transfer_id, array_agg(distinct p.recipient_user_id) as user_ids
        from ${transfers} t
        join ${cards} p on p.transfer_id = t.id and p.decision = 'compliance'
        where t.status = 'compliance_screening'
          and p.recipient_user_id = any(array(select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb)::int))
        group by 1
        order by 1`);
      return rowsOf<{ transfer_id: string; user_ids: (number | string)[] }>(result).map((row) => ({
        transferId: row.transfer_id,
        userIds: row.user_ids.map(Number),
      }));
    },
    async unpostedFor(userId, officer) {
      const result = await q.execute(sql`
        select c.transfer_id, 'consent:' || c.role as decision, c.id as consent_id
        from ${consents} c
        join ${transfers} t on t.id = c.transfer_id
        where c.user_id = ${userId} and c.decision is null and t.status = 'awaiting_consent'
          and not exists (
            select 1 from ${cards} p
            where p.transfer_id = c.transfer_id and p.decision = 'consent:' || c.role
              and p.recipient_user_id = ${userId})
        union all
        select t.id, 'compliance', null
        from ${transfers} t
        where ${officer} and t.status = 'compliance_screening'
          and not exists (
            select 1 from ${cards} p
            where p.transfer_id = t.id and p.decision = 'compliance'
              and (p.recipient_user_id is null or p.recipient_user_id = ${userId}))
        order by 1`);
      return rowsOf<{ transfer_id: string; decision: string; consent_id: number | null }>(result).map(
        (row) => ({
          transferId: row.transfer_id,
          decision: row.decision,
          consentId: row.consent_id === null ? null : Number(row.consent_id),
        }),
      );
    },
  };
}
