import type { Logger } from 'pino';
import type { ConversationRef } from './activity.js';
import { isNotReachable } from './errors.js';
import type { BotFramework } from './framework.js';
import type { RefStore } from './refs.js';

/** Where the bot opens a chat from: the service, the tenant and the bot's own id there. */
export interface ChatEndpoint {
  serviceUrl: string;
  tenantId?: string | undefined;
  botId?: string | undefined;
}

/**
 * A person's one-to-one chat with the bot: the one stored, else opened for them (which works where the app
 * is installed for them) and stored. Undefined when it cannot be opened — no endpoint to open it from, or
 * Teams says the person cannot be reached; any other failure is the caller's to tell.
 */
export async function personalChat(
  teams: { framework: BotFramework; refs: RefStore; logger: Logger },
  teamsUserId: string,
  endpoint: () => Promise<ChatEndpoint | undefined>,
): Promise<ConversationRef | undefined> {
  const stored = await teams.refs.load(teamsUserId);
  if (stored) return stored;
  const from = await endpoint();
  if (!from?.tenantId || !from.botId) return undefined;
  try {
    const opened = await teams.framework.createPersonalConversation({
      serviceUrl: from.serviceUrl,
      tenantId: from.tenantId,
      botId: from.botId,
      userId: teamsUserId,
    });
    await teams.refs.save(teamsUserId, opened);
    return opened;
  } catch (err) {
    if (!isNotReachable(err)) throw err;
    teams.logger.info({ teamsUserId }, 'teams: cannot open a chat (app not installed for this user)');
    return undefined;
  }
}
