import { and, eq, lte, sql } from 'drizzle-orm';
import type { DraftRepository } from '../src/app/ports/drafts.js';
import type { Q } from './client.js';
import { drafts } from './schema.js';

export function draftRepository(q: Q): DraftRepository {
  return {
    async start(draft) {
      const [row] = await q
        .insert(drafts)
        .values({ ...draft, version: 0 })
        .onConflictDoUpdate({
          target: [drafts.userId, drafts.surface],
          set: {
            id: draft.id,
            state: draft.state,
            version: 0,
            createdAt: draft.createdAt,
            updatedAt: draft.updatedAt,
            expiresAt: draft.expiresAt,
          },
        })
        .returning();
      return row!;
    },
    async load(id) {
      const [row] = await q.select().from(drafts).where(eq(drafts.id, id));
      return row;
    },
    async current(userId, surface) {
      const [row] = await q
        .select()
        .from(drafts)
        .where(and(eq(drafts.userId, userId), eq(drafts.surface, surface)));
      return row;
    },
    async update(id, version, change) {
      const [row] = await q
        .update(drafts)
        .set({ ...change, version: sql`${drafts.version} + 1` })
        .where(and(eq(drafts.id, id), eq(drafts.version, version)))
        .returning();
      return row;
    },
    async remove(id) {
      await q.delete(drafts).where(eq(drafts.id, id));
    },
    async sweep(now) {
      const removed = await q.delete(drafts).where(lte(drafts.expiresAt, now)).returning({ id: drafts.id });
      return removed.length;
    },
  };
}
