import type { Reply } from '../../src/app/dispatch.js';
import type { FileReply } from '../../src/app/reference-file-request.js';
import { sendWithRetries } from '../../src/app/send-retries.js';
import type { Refusal } from '../../src/domain/types.js';
import { isPersonal, type ConversationRef } from './activity.js';
import type { Turn } from './context.js';
import { isNotReachable, sendRetryAfter } from './errors.js';
import { personalChat } from './personal-chat.js';
import { textMessage, type OutgoingMessage } from './render/reply.js';
import type { Texts } from './render/texts.js';

/*
 * Where the answer to a typed command goes. A team channel or a group chat is read by all its members,
 * so an answer that shows what only this person may see goes to their one-to-one chat with the bot, and
 * the channel is told only that it went there. Cards the bot posts on its own (decision cards in the
 * compliance conversation) and the answers to card buttons (in their HTTP response) do not come here.
 */

/** A command's answer: a reply of the core, or the answer to a file of references. */
export type RoutedReply = Reply | FileReply;

/** Sends one message where the answer goes. */
export type Send = (message: OutgoingMessage) => Promise<unknown>;

/** Draws an answer with `send`; `ownChat`: it goes to the person's own chat, where a file may be offered too. */
export type Draw = (send: Send, ownChat: boolean) => Promise<void>;

/** Where an answer went: where it was asked, the person's own chat, or nowhere (their chat out of reach). */
export type ReplyPlace = 'here' | 'ownChat' | 'unreachable';

/**
 * A refusal that speaks of a transaction's state or of assets (already decided, not eligible, held by
 * another transaction) tells what only the person may see; one that says the command was not understood,
 * not allowed or found nothing tells nobody anything.
 */
function revealsData(refusal: Refusal): boolean {
  switch (refusal.code) {
    case 'wrong_status':
    case 'already_decided':
    case 'ineligible':
    case 'conflict':
      return true;
    case 'not_found':
    case 'forbidden':
    case 'invalid':
      return false;
    default: {
      const unknown: never = refusal.code;
      return unknown;
    }
  }
}

/** Whether an answer of this kind stays in a channel: the one place this is decided. */
export function staysInChannel(reply: RoutedReply): boolean {
  switch (reply.kind) {
    case 'help':
    case 'guide':
      return true;
    case 'refused':
      return !revealsData(reply.refusal);
    // Transactions, accounts, assets, drafts, the result of a change; files go only to a person's chat.
    case 'accounts':
    case 'assets':
    case 'wizard':
    case 'draftOffer':
    case 'transfer':
    case 'transfers':
    case 'file':
    case 'done':
      return false;
    default: {
      const unknown: never = reply;
      return unknown;
    }
  }
}

/** The person's one-to-one chat with the bot, stored or opened from where their message came (see personalChat). */
function ownChat(turn: Turn): Promise<ConversationRef | undefined> {
  const { ctx, activity } = turn;
  return personalChat(
    { framework: ctx.framework, refs: ctx.refs, logger: ctx.logger },
    activity.from.id,
    () =>
      Promise.resolve({
        serviceUrl: activity.serviceUrl,
        tenantId: activity.conversation.tenantId ?? activity.channelData?.tenant?.id,
        botId: activity.recipient?.id,
      }),
  );
}

/** What the channel is told once the answer went to the person's own chat. */
function sentNotice(reply: RoutedReply, texts: Texts): string {
  return reply.kind === 'file'
    ? texts.t('teams:file.sentToPersonalChat', { name: reply.name })
    : texts.t('teams:private.sent');
}

/** What the channel is told when the person's own chat cannot be reached: what to do, and whether it was done. */
function unreachableNotice(turn: Turn, reply: RoutedReply, texts: Texts): string {
  if (reply.kind === 'file') return texts.t('teams:file.openPersonalChat');
  return texts.t(turn.changes.changed ? 'teams:private.unreachableDone' : 'teams:private.unreachable');
}

/**
 * Draws an answer (`draw` sends its messages) where it belongs: in a one-to-one chat, there; in a channel
 * or group chat, there when `staysInChannel`, otherwise in the person's own chat, the channel being told so,
 * or, when that chat cannot be reached, only told so (nothing is drawn).
 */
export async function answerWhereItBelongs(
  turn: Turn,
  texts: Texts,
  reply: RoutedReply,
  draw: Draw,
): Promise<ReplyPlace> {
  const { io, ctx } = turn;
  const personal = isPersonal(turn.activity);
  if (personal || staysInChannel(reply)) {
    await draw((message) => io.send(message), personal);
    return 'here';
  }
  const own = await ownChat(turn);
  if (!own) {
    await io.send(textMessage(unreachableNotice(turn, reply, texts)));
    return 'unreachable';
  }
  try {
    await draw(
      (message) =>
        ctx.framework.continueConversation(own, (chat) =>
          sendWithRetries(() => chat.send(message), sendRetryAfter),
        ),
      true,
    );
  } catch (err) {
    // The stored chat is gone (the bot removed or blocked there): the channel is told, without the answer.
    if (!isNotReachable(err)) throw err;
    ctx.logger.info('teams: the person’s own chat refused the answer');
    await io.send(textMessage(unreachableNotice(turn, reply, texts)));
    return 'unreachable';
  }
  await io.send(textMessage(sentNotice(reply, texts)));
  return 'ownChat';
}
