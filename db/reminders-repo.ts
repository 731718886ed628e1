import { and, asc, count, eq, lte, max, sql } from 'drizzle-orm';
import type { ConsentRole } from '../src/domain/types.js';
import type { ReminderRepository } from '../src/app/ports/reminders.js';
import { rowsOf, type Q } from './client.js';
import { consents, jobClaims, transfers, users } from './schema.js';
import { mayAnswerOf } from './transfer-queries.js';

/** An awaited consent as `awaitedConsents` reads it: one JSON array a consent, times in milliseconds. */
type AwaitedJson = [
  id: number,
  transferId: string,
  role: ConsentRole,
  userId: number,
  requestedAt: number,
  remindersSent: number,
  lastRemindedAt: number | null,
  name: string,
  sourceSmartAccountId: number,
  destinationSmartAccountId: number,
  requesterId: number,
];

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

    async release(key) {
      await q.delete(jobClaims).where(eq(jobClaims.key, key));
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

    async awaitedConsents(status) {
      // The sweep reads every awaited consent each tick: each comes as one text value, a JSON array,
      // where eleven values a row cost the embedded driver 1.5 s to decode for 100,000 consents (measured).
      // Times travel as milliseconds since the epoch (a Date drops the microseconds, as before).
      const rows = rowsOf<{ consent: string }>(
        await q.execute(sql`
          select json_build_array(c.id, c.transfer_id, c.role, c.user_id,
                   (extract(epoch from c.requested_at) * 1000)::float8, c.reminders_sent,
                   (extract(epoch from c.last_reminded_at) * 1000)::float8, u.name,
                   t.source_smart_account_id, t.destination_smart_account_id, t.requester_id)::text as consent
          from ${consents} c
          join ${transfers} t on t.id = c.transfer_id
          join ${users} u on u.id = c.user_id
          where c.decision is null and t.status = ${status}
            -- Nobody is reminded of a consent they can no longer give (their role was taken away, others
            -- asked still may): the transfer is cancelled once nobody asked may (see settleAnswerers).
            and ${mayAnswerOf('c')}
          order by c.id`),
      );
      return rows.map(({ consent }) => {
        const [
          id,
          transferId,
          role,
          userId,
          requestedAt,
          remindersSent,
          lastRemindedAt,
          name,
          source,
          destination,
          requesterId,
        ] = JSON.parse(consent) as AwaitedJson;
        return {
          consent: {
            id,
            transferId,
            role,
            userId,
            requestedAt: new Date(requestedAt),
            remindersSent,
            lastRemindedAt: lastRemindedAt === null ? null : new Date(lastRemindedAt),
          },
          name,
          transfer: { sourceSmartAccountId: source, destinationSmartAccountId: destination, requesterId },
        };
      });
    },

    idleTransfers(status, changedBefore) {
      return q
        .select({ transfer: transfers })
        .from(transfers)
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
