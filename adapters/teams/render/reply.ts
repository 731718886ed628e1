import { renderDraftOffer } from './wizard-entry.js';
import type { Reply } from '../../../src/app/dispatch.js';
import { pageCommands } from '../../../src/app/landing-page.js';
import type { Refusal } from '../../../src/domain/types.js';
import { firstProblems } from '../../../src/app/problems.js';
import { adaptiveCard, attachment, bullets, fitCard, textBlock, type AdaptiveCard } from './card.js';
import { renderGuideCard, renderHelpCard } from './help-card.js';
import { renderAccountsCard, renderAssetsCard, renderTransfersCard, type ListLanding } from './list-cards.js';
import type { Texts } from './texts.js';
import { renderTransferCard } from './transfer-card.js';

/** A card or file attached to a message (Adaptive Card, file consent card, file info card). */
export interface MessageAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

/** What the bot posts in a conversation: text, or one card. */
export interface OutgoingMessage {
  type: 'message';
  text?: string;
  textFormat?: 'plain' | 'markdown';
  attachments?: MessageAttachment[];
}

export function textMessage(text: string): OutgoingMessage {
  return { type: 'message', text, textFormat: 'plain' };
}

export function cardMessage(card: AdaptiveCard): OutgoingMessage {
  return { type: 'message', attachments: [attachment(card)] };
}

/** A refusal in a sentence (and one line per problem when there are several). */
export function refusalText(refusal: Refusal, texts: Texts): string {
  // Teams draws a message's and a card's text as markdown: what a refusal shows back (a word typed, a
  // reason) is shown as written.
  return [
    texts.cardMsg(refusal.message),
    ...(refusal.details ?? []).map((d) => `• ${texts.cardMsg(d)}`),
  ].join('\n');
}

/** A refusal with its problems, as many as the card has room for; the core's line counts the rest. */
export function refusalCard(refusal: Refusal, texts: Texts): AdaptiveCard {
  const details = refusal.details ?? [];
  return fitCard(details.length, (shown) =>
    adaptiveCard([
      textBlock(texts.cardMsg(refusal.message), { color: 'Attention', weight: 'Bolder' }),
      ...bullets(firstProblems(details, shown).map((d) => texts.cardMsg(d))),
    ]),
  );
}

/**
 * A command's reply as Teams shows it. `file` replies are not here: a file needs the user's consent to
 * land in their OneDrive first (see files.ts); nor `wizard`: its answers go into a draft first (bot.ts).
 */
export function renderReply(
  reply: Exclude<Reply, { kind: 'file' | 'wizard' }>,
  texts: Texts,
  viewerUserId: number,
  landing?: ListLanding,
): OutgoingMessage {
  switch (reply.kind) {
    case 'help':
      return cardMessage(renderHelpCard(texts, reply.topic));
    case 'guide':
      return cardMessage(renderGuideCard(texts, reply.guide));
    case 'accounts':
      return cardMessage(renderAccountsCard(reply.accounts, texts, reply.query, reply.more));
    case 'assets':
      return cardMessage(renderAssetsCard(reply.list, texts));
    case 'transfer':
      return cardMessage(
        renderTransferCard(reply.view, texts, {
          viewerUserId,
          notice: reply.notice,
          warnings: reply.warnings,
          warningsTitle: reply.warningsTitle,
          selection: reply.selection,
        }),
      );
    case 'transfers':
      return cardMessage(
        renderTransfersCard(
          reply.rows,
          texts,
          {
            ...(reply.smartAccount ? { smartAccount: reply.smartAccount } : {}),
            ...(reply.status ? { status: reply.status } : {}),
            ...(reply.empty ? { empty: reply.empty } : {}),
            ...(reply.everyTransaction ? { everyTransaction: true } : {}),
          },
          landing,
          pageCommands(reply),
        ),
      );
    case 'draftOffer':
      return cardMessage(renderDraftOffer(texts, reply.offer));
    case 'done':
      return textMessage(texts.msg(reply.message));
    case 'refused':
      // Several problems read better as a card than as one long line.
      return reply.refusal.details?.length
        ? cardMessage(refusalCard(reply.refusal, texts))
        : textMessage(refusalText(reply.refusal, texts));
  }
}
