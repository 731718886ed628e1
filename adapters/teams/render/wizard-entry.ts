import type { NewOption } from '../../../src/commands/command.js';
import {
  adaptiveCard,
  bullets,
  heading,
  submitAction,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from './card.js';
import type { Texts } from './texts.js';
import { emptyCard, entryCard, type CardData } from '../wizard/state.js';
import type { DraftOffer } from '../../../src/app/journey/in-progress.js';
import type { Msg } from '../../../src/domain/msg.js';

/** The button that opens the request wizard in a Teams dialog (task module), with what `data` carries. */
export function openWizardAction(texts: Texts, data: CardData = emptyCard()): CardElement {
  const wizard = data;
  return submitAction(
    texts.t('common:button.requestTransfer'),
    { msteams: { type: 'task/fetch' }, wizard },
    { style: 'positive' },
  );
}

/**
 * `new` without everything the request needs: what is missing, and the button to the form; `note` says
 * what else happened (the draft in progress it replaced).
 */
export function renderWizardEntry(
  texts: Texts,
  data: CardData,
  missing: NewOption[],
  note?: Msg,
): AdaptiveCard {
  const body: CardElement[] = [
    heading(texts.t('common:button.requestTransfer')),
    textBlock(texts.t('teams:wizard.open')),
  ];
  if (note) body.push(textBlock(texts.cardMsg(note), { color: 'Warning' }));
  if (missing.length > 0) {
    body.push(
      textBlock(texts.t('teams:wizard.missing'), { weight: 'Bolder' }),
      ...bullets(missing.map((o) => texts.t(`grammar:option.${o}`))),
    );
  }
  return adaptiveCard(body, [openWizardAction(texts, data)]);
}

/**
 * `new` alone with a request in progress: when it was started and how far it got, then Continue (the dialog
 * on it, every answer kept) or Start over (the dialog on an empty one). Each button names the draft only.
 */
export function renderDraftOffer(
  texts: Texts,
  offer: DraftOffer,
  inDialog = false,
  /** Opened from a button whose draft is gone: why, said above the request still in progress. */
  gone?: Msg,
): AdaptiveCard {
  // In the chat a button opens the dialog; in the dialog (opened from another card) it answers it.
  const opens = inDialog ? {} : { msteams: { type: 'task/fetch' } };
  const choice = (title: string, go: 'continue' | 'startOver', style?: 'positive') =>
    submitAction(title, { ...opens, wizard: entryCard(offer.draftId), choice: go }, style ? { style } : {});
  return adaptiveCard(
    [
      heading(texts.t('common:button.requestTransfer')),
      ...(gone ? [textBlock(texts.cardMsg(gone), { color: 'Warning' })] : []),
      textBlock(texts.cardMsg(offer.message)),
    ],
    [
      choice(texts.t('core:journey.inProgress.continue'), 'continue', 'positive'),
      choice(texts.t('core:journey.inProgress.startOver'), 'startOver'),
    ],
  );
}
