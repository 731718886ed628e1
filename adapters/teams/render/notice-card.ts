import type { MessageContent } from '../../../src/app/delivery-port.js';
import { adaptiveCard, bullets, submitAction, textBlock, type AdaptiveCard } from './card.js';
import type { Texts } from './texts.js';

/** A notification (a status change, a reminder): the headline, its detail lines, and a way to the transfer. */
export function renderNoticeCard(content: MessageContent, texts: Texts): AdaptiveCard {
  const card = adaptiveCard(
    [
      textBlock(texts.msg(content.text), { weight: 'Bolder' }),
      ...bullets(content.lines.map((l) => texts.msg(l))),
    ],
    content.transferId
      ? [submitAction(texts.t('common:button.viewTransaction'), { command: `show ${content.transferId}` })]
      : [],
  );
  delete card.msteams;
  return card;
}
