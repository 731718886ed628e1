import { count, eq, max, sql } from 'drizzle-orm';
import type { Q, Tx } from '../../db/client.js';
import { jobClaims, transfers } from '../../db/schema.js';
import type { Status } from '../domain/status.js';
import type { PastReminders } from './policy.js';

/**
 * Claims one piece of scheduled work by its key, inside the caller's transaction. The key is the
 * primary key: of two instances (or a restarted one, or a tick that overran into the next) only one
 * inserts it, and the other sees the conflict and does nothing. The claim commits or rolls back with the
 * messages it enqueues, so a crash in between leaves the work unclaimed for the next tick.
 */
export async function claim(tx: Tx, key: string, now: Date, by: string): Promise<boolean> {
  const rows = await tx
    .insert(jobClaims)
    .values({ key, claimedAt: now, claimedBy: by })
    .onConflictDoNothing({ target: jobClaims.key })
    .returning({ key: jobClaims.key });
  return rows.length === 1;
}

/** Reminders already sent for one transfer and kind: claims whose key starts with `prefix`. */
export async function pastReminders(q: Q, prefix: string): Promise<PastReminders> {
  const [row] = await q
    .select({ n: count(), last: max(jobClaims.claimedAt) })
    .from(jobClaims)
    .where(sql`starts_with(${jobClaims.key}, ${prefix})`);
  const last = row?.last ?? null;
  return { count: Number(row?.n ?? 0), last: last === null ? null : new Date(last) };
}

/**
 * The transfer's status, read under a share lock: a decision arriving meanwhile waits for our commit,
 * and one that committed first is seen, so a reminder never goes out for a transfer that moved on.
 */
export async function lockedStatus(tx: Tx, transferId: string): Promise<Status | undefined> {
  const [row] = await tx
    .select({ status: transfers.status })
    .from(transfers)
    .where(eq(transfers.id, transferId))
    .for('share');
  return row?.status;
}

/** `reminder:AT-…:consent-transferee:2026-11-30`: unique per (transfer, kind, window). */
export function claimKey(transferId: string, kind: string, window: string): string {
  return `${kindPrefix(transferId, kind)}${window}`;
}

export function kindPrefix(transferId: string, kind: string): string {
  return `reminder:${transferId}:${kind}:`;
}
