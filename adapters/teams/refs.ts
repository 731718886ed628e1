import type { Store } from '../../src/app/ports/store.js';
import { reachableOn } from '../../src/app/reachable.js';
import { conversationRefSchema, type ConversationRef } from './activity.js';

/**
 * Conversation references in the database, keyed by Teams user id: written on install and on every
 * message, read by any instance, so direct messages survive a restart. The first one stored for a person
 * makes them reachable: the cards and messages that waited for them are queued then.
 */
export interface RefStore {
  save(teamsUserId: string, ref: ConversationRef): Promise<void>;
  load(teamsUserId: string): Promise<ConversationRef | undefined>;
  remove(teamsUserId: string): Promise<void>;
  /** Where Teams can be reached (service URL, tenant, the bot's own id), from the newest reference. */
  endpoint(): Promise<{ serviceUrl: string; tenantId?: string; botId?: string } | undefined>;
}

export function createRefStore(
  store: Pick<Store, 'conversations' | 'transaction'>,
  now: () => Date,
): RefStore {
  // Read at each call: the adapter starts even while the database does not answer.
  const conversations = () => store.conversations;
  return {
    async save(teamsUserId, ref) {
      const reference = conversationRefSchema.parse(ref) as Record<string, unknown>;
      const at = now();
      // Every message stores its reference: one statement. Only the first one for a person (rare) opens a
      // transaction to queue what waited for them; a process gone in between leaves it to the reminders.
      if (await conversations().save(teamsUserId, reference, at))
        await store.transaction((repos) =>
          reachableOn(repos, { platform: 'teams', externalId: teamsUserId }, at),
        );
    },
    async load(teamsUserId) {
      const row = await conversations().load(teamsUserId);
      if (!row) return undefined;
      // A row another version wrote in another shape is as good as none: the person is asked to say hello.
      const parsed = conversationRefSchema.safeParse(row.reference);
      return parsed.success ? parsed.data : undefined;
    },
    async remove(teamsUserId) {
      await conversations().remove(teamsUserId);
    },
    async endpoint() {
      for (const row of await conversations().newest(5)) {
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
