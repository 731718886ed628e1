import { and, asc, count, eq, isNull, lte, max, sql } from 'drizzle-orm';
import type { ReminderRepository } from '../src/app/ports/reminders.js';
import { rowsOf, type Q } from './client.js';
import { consents, jobClaims, transfers, users } from './schema.js';

export function reminderRepository(q: Q): ReminderRepository {
  return {
    async claim(key, now, by) {
      // The key is the primary key: of two claimers only one inserts it, the other sees the conflict.
      const rows = await q
        .insert(jobClaims)
        .values({ key, claimedAt: now, claimedBy: by })
        .onConflictDoNothing({ target: jobClaims.key })
        .returning({ key: jobClaims.key });
      return rows.length === 1;
    },

    async pastClaims(prefix) {
      const [row] = await q
        .select({ n: count(), last: max(jobClaims.claimedAt) })
        .from(jobClaims)
        .where(sql`starts_with(${jobClaims.key}, ${prefix})`);
      const last = row?.last ?? null;
      return { count: Number(row?.n ?? 0), last: last === null ? null : new Date(last) };
    },

    async lockedStatus(transferId) {
      const [row] = await q
        .select({ status: transfers.status })
        .from(transfers)
        .where(eq(transfers.id, transferId))
        .for('share');
      return row?.status;
    },

    awaitedConsents(status) {
      // Only the columns the policy and the messages need: the sweep reads every awaited consent each tick.
      return q
        .select({
          consent: {
            id: consents.id,
            transferId: consents.transferId,
            role: consents.role,
            userId: consents.userId,
            requestedAt: consents.requestedAt,
            remindersSent: consents.remindersSent,
            lastRemindedAt: consents.lastRemindedAt,
          },
          timeZone: users.timeZone,
          name: users.name,
          transfer: {
            sourceSmartAccountId: transfers.sourceSmartAccountId,
            destinationSmartAccountId: transfers.destinationSmartAccountId,
          },
        })
        .from(consents)
        .innerJoin(transfers, eq(transfers.id, consents.transferId))
        .innerJoin(users, eq(users.id, consents.userId))
        .where(and(isNull(consents.decision), eq(transfers.status, status)))
        .orderBy(asc(consents.id));
    },

    idleTransfers(status, changedBefore) {
      return q
        .select({ transfer: transfers, requesterZone: users.timeZone })
        .from(transfers)
        .innerJoin(users, eq(users.id, transfers.requesterId))
        .where(and(eq(transfers.status, status), lte(transfers.updatedAt, changedBefore)))
        .orderBy(asc(transfers.updatedAt));
    },

    async countReminders(counts, now, status) {
      const moves = JSON.stringify(counts.map((c) => ({ id: c.consentId, n: c.number, t: c.transferId })));
      // One scan of the list joined to each table by its key: the planner cannot size a JSON list, and
      // joining two scans of it row by row would cost a batch seconds.
      const result = await q.execute(sql`
        with live as (
          select v.id, v.n from jsonb_to_recordset(${moves}::jsonb) as v(id integer, n integer, t text)
          join ${transfers} on ${transfers.id} = v.t
          where ${transfers.status} = ${status}::transfer_status
          order by ${transfers.id}
          for share of ${transfers}
        )
        update ${consents} set reminders_sent = live.n, last_reminded_at = ${now.toISOString()}::timestamptz
        from live
        where ${consents.id} = live.id and ${consents.remindersSent} = live.n - 1 and ${consents.decision} is null
        returning ${consents.id} as id`);
      return new Set(rowsOf<{ id: number }>(result).map((row) => Number(row.id)));
    },
  };
}
