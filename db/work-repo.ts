import { and, asc, count, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { WorkRepository } from '../src/app/ports/work.js';
import type { Q } from './client.js';
import { workItems } from './schema.js';

export function workRepository(q: Q): WorkRepository {
  return {
    async accept(item, now, lease) {
      const rows = await q
        .insert(workItems)
        .values({
          requestKey: item.requestKey,
          surface: item.surface,
          kind: item.kind,
          // A form's fields may come as an object without a prototype, which the query builder cannot take.
          payload: { ...item.payload },
          receivedAt: now,
          leaseUntil: lease.leaseUntil,
          attempts: lease.leaseUntil ? 1 : 0,
          doneAt: lease.doneAt ?? null,
        })
        .onConflictDoNothing({ target: workItems.requestKey })
        .returning({ id: workItems.id });
      return rows[0]?.id ?? null;
    },

    async claim(surface, now, leaseUntil, limit) {
      // FOR UPDATE SKIP LOCKED keeps instances claiming at once on disjoint rows; the lease hides the
      // rows from everyone else until it runs out.
      const free = q
        .select({ id: workItems.id })
        .from(workItems)
        .where(
          and(
            isNull(workItems.doneAt),
            eq(workItems.surface, surface),
            or(isNull(workItems.leaseUntil), lte(workItems.leaseUntil, now)),
          ),
        )
        .orderBy(asc(workItems.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await q
        .update(workItems)
        .set({ leaseUntil, attempts: sqlIncrement() })
        .where(inArray(workItems.id, free))
        .returning();
      rows.sort((a, b) => a.id - b.id);
      return rows.map((r) => ({
        id: r.id,
        surface: r.surface,
        kind: r.kind,
        payload: r.payload,
        attempts: r.attempts,
      }));
    },

    async extend(ids, leaseUntil) {
      if (ids.length === 0) return;
      await q
        .update(workItems)
        .set({ leaseUntil })
        .where(and(inArray(workItems.id, [...ids]), isNull(workItems.doneAt)));
    },

    async finish(ids, now) {
      if (ids.length === 0) return;
      await q
        .update(workItems)
        .set({ doneAt: now })
        .where(ids.length === 1 ? eq(workItems.id, ids[0]!) : inArray(workItems.id, [...ids]));
    },

    async release(ids) {
      if (ids.length === 0) return;
      await q
        .update(workItems)
        .set({ leaseUntil: null })
        .where(and(inArray(workItems.id, [...ids]), isNull(workItems.doneAt)));
    },

    async purge(before) {
      await q.delete(workItems).where(and(lt(workItems.receivedAt, before), isNotNull(workItems.doneAt)));
    },

    async openCount() {
      const [row] = await q.select({ n: count() }).from(workItems).where(isNull(workItems.doneAt));
      return Number(row?.n ?? 0);
    },
  };
}

function sqlIncrement() {
  return sql`${workItems.attempts} + 1`;
}
