import { desc, eq } from 'drizzle-orm';
import type { ConversationRepository } from '../src/app/ports/conversations.js';
import type { Q } from './client.js';
import { conversationRefs } from './schema.js';

export function conversationRepository(q: Q): ConversationRepository {
  return {
    async save(externalUserId, reference, at) {
      await q
        .insert(conversationRefs)
        .values({ teamsUserId: externalUserId, reference, updatedAt: at })
        .onConflictDoUpdate({ target: conversationRefs.teamsUserId, set: { reference, updatedAt: at } });
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
