import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { conversationRefs } from '../../db/schema.js';
import { conversationRefSchema, type ConversationRef } from './activity.js';

/**
 * Conversation references in the database (`conversation_refs`), keyed by Teams user id: written on
 * install and on every message, read by any instance, so direct messages survive a restart.
 */
export interface RefStore {
  save(teamsUserId: string, ref: ConversationRef): Promise<void>;
  load(teamsUserId: string): Promise<ConversationRef | undefined>;
  remove(teamsUserId: string): Promise<void>;
  /** Where Teams can be reached (service URL, tenant, the bot's own id), from the newest reference. */
  endpoint(): Promise<{ serviceUrl: string; tenantId?: string; botId?: string } | undefined>;
}

export function createRefStore(db: Db, now: () => Date): RefStore {
  return {
    async save(teamsUserId, ref) {
      const reference = conversationRefSchema.parse(ref) as Record<string, unknown>;
      await db
        .insert(conversationRefs)
        .values({ teamsUserId, reference, updatedAt: now() })
        .onConflictDoUpdate({ target: conversationRefs.teamsUserId, set: { reference, updatedAt: now() } });
    },
    async load(teamsUserId) {
      const [row] = await db
        .select()
        .from(conversationRefs)
        .where(eq(conversationRefs.teamsUserId, teamsUserId));
      if (!row) return undefined;
      // A row another version wrote in another shape is as good as none: the person is asked to say hello.
      const parsed = conversationRefSchema.safeParse(row.reference);
      return parsed.success ? parsed.data : undefined;
    },
    async remove(teamsUserId) {
      await db.delete(conversationRefs).where(eq(conversationRefs.teamsUserId, teamsUserId));
    },
    async endpoint() {
      const rows = await db
        .select()
        .from(conversationRefs)
        .orderBy(desc(conversationRefs.updatedAt))
        .limit(5);
      for (const row of rows) {
        const parsed = conversationRefSchema.safeParse(row.reference);
        if (!parsed.success) continue;
        const { serviceUrl, conversation, bot } = parsed.data;
        return {
          serviceUrl,
          ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}),
          ...(bot ? { botId: bot.id } : {}),
        };
      }
      return undefined;
    },
  };
}
