import { desc, eq, sql } from 'drizzle-orm';
import type { ConversationRepository } from '../src/app/ports/conversations.js';
import type { Q } from './client.js';
import { conversationRefs } from './schema.js';

export function conversationRepository(q: Q): ConversationRepository {
  return {
    async save(externalUserId, reference, at) {
      // A row the statement inserted has no deleting transaction yet (xmax 0); an updated one has ours.
      const [row] = await q
        .insert(conversationRefs)
        .values({ teamsUserId: externalUserId, reference, updatedAt: at })
        .onConflictDoUpdate({ target: conversationRefs.teamsUserId, set: { reference, updatedAt: at } })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      return row?.inserted === true;
    },
    async load(externalUserId) {
      const [row] = await q
        .select({ reference: conversationRefs.reference, updatedAt: conversationRefs.updatedAt })
        .from(conversationRefs)
        .where(eq(conversationRefs.teamsUserId, externalUserId));
      return row;
    },
    async remove(externalUserId) {
      await q.delete(conversationRefs).where(eq(conversationRefs.teamsUserId, externalUserId));
    },
    newest(limit) {
      return q
        .select({ reference: conversationRefs.reference, updatedAt: conversationRefs.updatedAt })
        .from(conversationRefs)
        .orderBy(desc(conversationRefs.updatedAt))
        .limit(limit);
    },
  };
}
