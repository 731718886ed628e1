import { and, asc, count, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { WorkRepository } from '../src/app/ports/work.js';
import { anyOf, idList } from './bulk-writes.js';
import type { Q } from './client.js';
import { builtOnce } from './prepared.js';
import { workItems } from './schema.js';

// Every acknowledged request is recorded, and marked done, through these (see `builtOnce`).
const ACCEPT = builtOnce('work accept', (q) =>
  q
    .insert(workItems)
    .values({
      requestKey: sql.placeholder('requestKey'),
      surface: sql.placeholder('surface'),
      kind: sql.placeholder('kind'),
      payload: sql`${sql.placeholder('payload')}::jsonb`,
      receivedAt: sql`${sql.placeholder('receivedAt')}::timestamptz`,
      leaseUntil: sql`${sql.placeholder('leaseUntil')}::timestamptz`,
      attempts: sql.placeholder('attempts'),
      doneAt: sql`${sql.placeholder('doneAt')}::timestamptz`,
    })
    .onConflictDoNothing({ target: workItems.requestKey })
    .returning({ id: workItems.id }),
);
const FINISH = builtOnce('work done', (q) =>
  q
    .update(workItems)
    .set({ doneAt: sql`${sql.placeholder('now')}::timestamptz` })
    .where(anyOf(workItems.id, sql.placeholder('ids'), 'integer')),
);

export function workRepository(q: Q): WorkRepository {
  const accept = ACCEPT.on(q);
  const finish = FINISH.on(q);
  return {
    async accept(item, now, lease) {
      const rows = await accept({
        requestKey: item.requestKey,
        surface: item.surface,
        kind: item.kind,
        payload: JSON.stringify(item.payload),
        receivedAt: now.toISOString(),
        leaseUntil: lease.leaseUntil?.toISOString() ?? null,
        attempts: lease.leaseUntil ? 1 : 0,
        doneAt: lease.doneAt?.toISOString() ?? null,
      });
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
        .where(and(anyOf(workItems.id, ids, 'integer'), isNull(workItems.doneAt)));
    },

    async finish(ids, now) {
      if (ids.length === 0) return;
      await finish({ now: now.toISOString(), ids: idList(ids) });
    },

    async release(ids) {
      if (ids.length === 0) return;
      await q
        .update(workItems)
        .set({ leaseUntil: null })
        .where(and(anyOf(workItems.id, ids, 'integer'), isNull(workItems.doneAt)));
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
