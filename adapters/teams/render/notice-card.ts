import type { MessageContent } from '../../../src/app/delivery-port.js';
import { adaptiveCard, bullets, fitCard, submitAction, textBlock, type AdaptiveCard } from './card.js';
import type { Texts } from './texts.js';

/** A notification (a status change, a reminder): the headline, its detail lines, and a way to the transfer. */
export function renderNoticeCard(content: MessageContent, texts: Texts): AdaptiveCard {
  return fitCard(content.lines.length, (shown) => {
    const more = content.lines.length - shown;
    const card = adaptiveCard(
      [
        textBlock(texts.cardMsg(content.text), { weight: 'Bolder' }),
        ...bullets(content.lines.slice(0, shown).map((l) => texts.cardMsg(l))),
        ...(more > 0 ? [textBlock(texts.t('teams:notice.more', { count: more }), { isSubtle: true })] : []),
      ],
      content.transferId
        ? [submitAction(texts.t('common:button.viewTransaction'), { command: `show ${content.transferId}` })]
        : [],
    );
    delete card.msteams;
    return card;
  });
}
