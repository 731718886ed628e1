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
import { emptyCard, type CardData } from '../wizard/state.js';

/** The button that opens the request wizard in a Teams dialog (task module), with what `data` carries. */
export function openWizardAction(texts: Texts, data: CardData = emptyCard()): CardElement {
  const wizard = data;
  return submitAction(
    texts.t('common:button.requestTransfer'),
    { msteams: { type: 'task/fetch' }, wizard },
    { style: 'positive' },
  );
}

/** `new` without everything the request needs: what is missing, and the button to the form. */
export function renderWizardEntry(texts: Texts, data: CardData, missing: NewOption[]): AdaptiveCard {
  const body: CardElement[] = [
    heading(texts.t('common:button.requestTransfer')),
    textBlock(texts.t('teams:wizard.open')),
  ];
  if (missing.length > 0) {
    body.push(
      textBlock(texts.t('teams:wizard.missing'), { weight: 'Bolder' }),
      ...bullets(missing.map((o) => texts.t(`grammar:option.${o}`))),
    );
  }
  return adaptiveCard(body, [openWizardAction(texts, data)]);
}
