import { and, asc, count, eq, inArray, lte } from 'drizzle-orm';
import type { Q } from '../../db/client.js';
import { outbox } from '../../db/schema.js';

export type OutboxRow = typeof outbox.$inferSelect;

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
 * A claimed row carries its lease: the `due_at` the claim wrote. Every later write on the row is a
 * compare-and-set on it, so a worker whose lease ran out (it stalled, another worker took the row over)
 * can no longer mark the row sent, dead or retried.
 */
export interface Claimed {
  row: OutboxRow;
  lease: Date;
}

/**
 * Claims up to `limit` due rows in one short statement: `FOR UPDATE SKIP LOCKED` keeps concurrent
 * workers on disjoint rows, and pushing `due_at` to the end of the lease hides the rows from everyone
 * else until then. A worker killed mid-batch leaves its rows to come due again when the lease ends.
 */
export async function claimDue(q: Q, now: Date, leaseUntil: Date, limit: number): Promise<Claimed[]> {
  const due = q
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.state, 'pending'), lte(outbox.dueAt, now)))
    .orderBy(asc(outbox.dueAt), asc(outbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await q.update(outbox).set({ dueAt: leaseUntil }).where(inArray(outbox.id, due)).returning();
  rows.sort((a, b) => a.id - b.id);
  return rows.map((row) => ({ row, lease: leaseUntil }));
}

const held = (c: Claimed) =>
  and(eq(outbox.id, c.row.id), eq(outbox.state, 'pending'), eq(outbox.dueAt, c.lease));

/** Records an address the message reached, before moving on to the next one. False when the lease is lost. */
export async function saveProgress(q: Q, c: Claimed, deliveredTo: DeliveredTo): Promise<boolean> {
  const rows = await q
    .update(outbox)
    .set({ deliveredTo: { ...deliveredTo } })
    .where(held(c))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

export async function markSent(q: Q, c: Claimed, now: Date, deliveredTo: DeliveredTo): Promise<boolean> {
  const rows = await q
    .update(outbox)
    .set({ state: 'sent', sentAt: now, deliveredTo: { ...deliveredTo }, lastError: null })
    .where(held(c))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

export async function markRetry(
  q: Q,
  c: Claimed,
  dueAt: Date,
  attempts: number,
  error: string,
): Promise<boolean> {
  const rows = await q
    .update(outbox)
    .set({ dueAt, attempts, lastError: error })
    .where(held(c))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

export async function markDead(q: Q, c: Claimed, attempts: number, error: string): Promise<boolean> {
  const rows = await q
    .update(outbox)
    .set({ state: 'dead', attempts, lastError: error })
    .where(held(c))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

/** Gives a claimed row back untouched (graceful stop): due again right away for any worker. */
export async function release(q: Q, c: Claimed, now: Date): Promise<void> {
  await q.update(outbox).set({ dueAt: now }).where(held(c));
}

/** Messages still to deliver (due or not), for the outbox depth gauge. */
export async function pendingCount(q: Q): Promise<number> {
  const [row] = await q.select({ n: count() }).from(outbox).where(eq(outbox.state, 'pending'));
  return Number(row?.n ?? 0);
}

/** The landings recorded on a row by an earlier, interrupted attempt. */
export function landingsOf(row: OutboxRow): Landing[] {
  const raw = (row.deliveredTo as Partial<DeliveredTo> | null)?.deliveries;
  return Array.isArray(raw)
    ? raw.filter((l): l is Landing => typeof l?.platform === 'string' && typeof l.id === 'string')
    : [];
}
