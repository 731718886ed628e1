import { and, asc, count, eq, lt, min, sql } from 'drizzle-orm';
import type { OutboxRepository } from '../src/app/ports/outbox.js';
import type { Q } from './client.js';
import { outbox } from './schema.js';

/**
 * What waits in the outbox for a person who becomes reachable (see src/app/reachable.ts): a card of the
 * same decision still on its way to them, and the messages given up because nobody could reach them.
 */
export function outboxWaiting(q: Q): Pick<OutboxRepository, 'cardOnItsWay' | 'unreachedNotices'> {
  return {
    async cardOnItsWay(transferId, decision, userId, before) {
      // Through outbox_pending_transfer_idx: its condition stated as the index states it.
      const [row] = await q
        .select({
          n: count(),
          dueAt: min(outbox.dueAt),
          held: sql<boolean | null>`bool_or(${outbox.claim} is not null)`,
        })
        .from(outbox)
        .where(
          and(
            sql`(${outbox.payload}->>'transferId') = ${transferId}`,
            sql`${outbox.state} <> 'sent' and ${outbox.state} <> 'dead'`,
            lt(outbox.id, before),
            sql`${outbox.payload}->>'type' = 'card' and ${outbox.payload}->>'decision' = ${decision}`,
            sql`(${outbox.recipientUserId} = ${userId} or ${outbox.recipientUserId} is null)`,
          ),
        );
      if (!row || Number(row.n) === 0 || row.dueAt === null) return undefined;
      return { dueAt: new Date(row.dueAt), held: row.held === true };
    },

    async unreachedNotices(userId) {
      // Through outbox_unreached_idx: its condition stated as the index states it.
      const rows = await q
        .select({ id: outbox.id, payload: outbox.payload })
        .from(outbox)
        .where(
          and(
            eq(outbox.recipientUserId, userId),
            sql`${outbox.state} = 'dead' and ${outbox.lastError} = 'unreachable'`,
            sql`(${outbox.payload}->'requester') is not null and (${outbox.payload}->'offerKey') is null`,
            sql`(${outbox.payload}->>'transferId') is null`,
          ),
        )
        .orderBy(asc(outbox.id));
      return rows.map((row) => ({ id: Number(row.id), payload: row.payload }));
    },
  };
}
