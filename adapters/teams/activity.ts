import { z } from 'zod';

/**
 * The parts of an incoming Bot Framework activity this bot reads. Everything arriving on
 * `/api/messages` goes through these schemas first; the rest of the adapter never reads raw JSON.
 */
const channelAccount = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

export const activitySchema = z.object({
  type: z.string(),
  id: z.string().optional(),
  name: z.string().optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  locale: z.string().optional(),
  action: z.string().optional(),
  channelId: z.string().optional(),
  serviceUrl: z.string().url(),
  from: channelAccount,
  recipient: channelAccount.optional(),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  membersAdded: z.array(channelAccount).optional(),
  channelData: z
    .object({
      tenant: z.object({ id: z.string() }).optional(),
      team: z.object({ id: z.string() }).optional(),
    })
    .loose()
    .optional(),
});

export type Activity = z.output<typeof activitySchema>;

/**
 * A stored conversation reference: enough to message a person (or a channel) later, from any instance,
 * after a restart.
 */
export const conversationRefSchema = z.object({
  channelId: z.string().default('msteams'),
  serviceUrl: z.string().url(),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: channelAccount.optional(),
  user: channelAccount.optional(),
  locale: z.string().optional(),
});

export type ConversationRef = z.output<typeof conversationRefSchema>;

export function referenceOf(a: Activity): ConversationRef {
  const tenantId = a.conversation.tenantId ?? a.channelData?.tenant?.id;
  return {
    channelId: a.channelId ?? 'msteams',
    serviceUrl: a.serviceUrl,
    conversation: {
      id: a.conversation.id,
      ...(a.conversation.conversationType ? { conversationType: a.conversation.conversationType } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...(a.conversation.isGroup !== undefined ? { isGroup: a.conversation.isGroup } : {}),
    },
    ...(a.recipient ? { bot: a.recipient } : {}),
    user: a.from,
    ...(a.locale ? { locale: a.locale } : {}),
  };
}

/** A one-to-one chat between the bot and one person (Teams' "personal" scope). */
export function isPersonal(a: Activity): boolean {
  return (
    a.conversation.conversationType === 'personal' ||
    (a.conversation.conversationType === undefined && a.conversation.isGroup !== true)
  );
}

const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * The command a person typed: the bot's @mention removed (channels), Teams' HTML (formatted messages)
 * reduced to its text, entities decoded. `@Bot show AT-…` and `show AT-…` read the same.
 */
export function commandText(text: string | undefined): string {
  if (!text) return '';
  const withoutMentions = text.replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ');
  const withoutTags = withoutMentions
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '');
  return decodeEntities(withoutTags).replace(/\s+/g, ' ').trim();
}

/**
 * An `Action.Submit` button on one of our cards carries the command line to run, like one typed; the
 * Smart Account switcher adds the account chosen in its menu.
 */
export const submittedCommandSchema = z.object({
  command: z.string().min(1).max(2000),
  useAccount: z.string().min(1).max(255).optional(),
});
