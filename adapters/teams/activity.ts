import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AnswerRoute } from '../../src/app/durable-work.js';
import { MAX_MESSAGE_LENGTH, unsafeCharacter, type InputProblem } from '../../src/text/input-check.js';

/**
 * The parts of an incoming Bot Framework activity this bot reads. Everything arriving on
 * `/api/messages` goes through these schemas first; the rest of the adapter never reads raw JSON.
 */
const channelAccount = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

/** The attachments of one activity the bot reads at most. */
const MAX_ATTACHMENTS = 64;

export const activitySchema = z.object({
  type: z.string(),
  id: z.string().optional(),
  /** On a click on a card (an invoke): the id of the message the card is in. */
  replyToId: z.string().optional(),
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
  // Files sent to the bot (read by reference-file.ts) and pasted images: a message holds a few. The first
  // 64 are kept (each is checked only when it is a file of references); a message with more is still
  // answered, not dropped as one the bot does not understand.
  attachments: z
    .array(z.unknown())
    .transform((list) => list.slice(0, MAX_ATTACHMENTS))
    .optional(),
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
 * How an activity is answered: a message (a typed command, or a card button carrying one) by messages
 * of its own, which may come after the 200; an invoke in its HTTP response (an Adaptive Card's
 * Action.Execute gets the updated card back); installation events are answered at once too.
 */
export function answerRouteOf(activity: Activity): AnswerRoute {
  return activity.type === 'message' ? 'own-message' : 'in-response';
}

/**
 * The activity's identity across instances: its conversation and id (Teams resends an activity with the
 * same id); without an id, its whole content.
 */
export function requestKeyOf(activity: Activity): string {
  if (activity.id !== undefined) return `teams:${activity.conversation.id}:${activity.id}`;
  return `teams:${createHash('sha256').update(JSON.stringify(activity)).digest('base64url')}`;
}

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

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ['nbsp', ' '],
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

const MAX_CODE_POINT = 0x10ffff;

/**
 * Decodes the entities Teams writes. A numeric reference beyond Unicode names no character at all; it is
 * reported as it was written, so the person is told which part of the message is wrong. NUL and
 * surrogates decode to themselves and are refused with every other unsafe character, by the grammar.
 */
function decodeEntities(text: string): { ok: true; text: string } | { ok: false; problem: InputProblem } {
  let beyond: string | undefined;
  // Each match starts at an `&` and stops at the next character that cannot continue it: linear.
  const decoded = text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const hex = name.charAt(1) === 'x' || name.charAt(1) === 'X';
      const digits = name.slice(hex ? 2 : 1).replace(/^0+(?=.)/, '');
      // Past eight digits no reference can be a code point; parsing it would only lose precision.
      const codePoint = digits.length > 8 ? Infinity : parseInt(digits, hex ? 16 : 10);
      if (codePoint > MAX_CODE_POINT) {
        beyond ??= whole.length > 20 ? `${whole.slice(0, 19)}…` : whole;
        return '';
      }
      return String.fromCodePoint(codePoint);
    }
    return ENTITIES.get(name.toLowerCase()) ?? whole;
  });
  return beyond === undefined
    ? { ok: true, text: decoded }
    : { ok: false, problem: { kind: 'character', character: beyond } };
}

// Teams' HTML is reduced in three passes, each linear in the text: a `<` followed by a letter and no
// `>` would otherwise make a pattern such as /<[a-z][^>]*>/g scan to the end from every such `<`
// (quadratic: 300 KB of "<a " took 15 seconds). Each pass searches onwards from where it is (the next
// `<`, the next `>`, the next `</at>`) and stops at the first search that finds nothing, since no
// later search could find more.

const MENTION_START = /<at\b/gi;
const MENTION_END = /<\/at>/gi;

/** The bot's `<at …>name</at>` mentions, each replaced by a space. */
function withoutMentions(html: string): string {
  const kept: string[] = [];
  let copiedFrom = 0;
  MENTION_START.lastIndex = 0;
  for (let start = MENTION_START.exec(html); start !== null; start = MENTION_START.exec(html)) {
    const tagEnd = html.indexOf('>', start.index + start[0].length);
    if (tagEnd === -1) break;
    MENTION_END.lastIndex = tagEnd + 1;
    const end = MENTION_END.exec(html);
    if (end === null) break;
    kept.push(html.slice(copiedFrom, start.index), ' ');
    copiedFrom = end.index + end[0].length;
    MENTION_START.lastIndex = copiedFrom;
  }
  kept.push(html.slice(copiedFrom));
  return kept.join('');
}

// Linear as it is: after each `<` it reads only spaces, one slash and a fixed word.
const LINE_BREAKS = /<br\s*\/?>|<\/p>|<\/div>/gi;

function isLetter(character: string): boolean {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
}

/** Every other tag (`<b>`, `</span>`, `<a href=…>`) removed; a `<` that opens no tag stays. */
function withoutTags(html: string): string {
  const kept: string[] = [];
  let copiedFrom = 0;
  let tagEnd = -1;
  for (let open = html.indexOf('<'); open !== -1;) {
    const nameAt = html.charAt(open + 1) === '/' ? open + 2 : open + 1;
    if (!isLetter(html.charAt(nameAt))) {
      open = html.indexOf('<', open + 1);
      continue;
    }
    if (tagEnd < open) tagEnd = html.indexOf('>', open);
    if (tagEnd === -1) break;
    kept.push(html.slice(copiedFrom, open));
    copiedFrom = tagEnd + 1;
    open = html.indexOf('<', copiedFrom);
  }
  kept.push(html.slice(copiedFrom));
  return kept.join('');
}

/** What a message says as a command line, or why it cannot be read as one. */
export type CommandText = { ok: true; text: string } | { ok: false; problem: InputProblem };

/**
 * The command a person typed: the bot's @mention removed (channels), Teams' HTML (formatted messages)
 * reduced to its text, entities decoded. `@Bot show AT-…` and `show AT-…` read the same. A message
 * longer than Teams itself allows is refused before any of that, and one whose references spell no
 * character, or one no text may hold, after.
 */
export function commandText(text: string | undefined): CommandText {
  if (!text) return { ok: true, text: '' };
  if (text.length > MAX_MESSAGE_LENGTH)
    return { ok: false, problem: { kind: 'tooLong', length: text.length, max: MAX_MESSAGE_LENGTH } };
  const decoded = decodeEntities(withoutTags(withoutMentions(text).replace(LINE_BREAKS, ' ')));
  if (!decoded.ok) return decoded;
  // A reference may spell a character no message may hold (`&#0;`).
  const character = unsafeCharacter(decoded.text);
  if (character !== undefined) return { ok: false, problem: { kind: 'character', character } };
  return { ok: true, text: decoded.text.replace(/\s+/g, ' ').trim() };
}

/**
 * An `Action.Submit` button on one of our cards carries the command line to run, like one typed; the
 * Smart Account switcher adds the account chosen in its menu.
 */
export const submittedCommandSchema = z.object({
  command: z.string().min(1).max(2000),
  useAccount: z.string().min(1).max(255).optional(),
});
