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
import { emptyState, wizardStateSchema, type WizardState } from '../wizard/state.js';

/** The button that opens the request wizard in a Teams dialog (task module), prefilled with `state`. */
export function openWizardAction(texts: Texts, state: Partial<WizardState>): CardElement {
  const wizard = wizardStateSchema.parse({ ...emptyState(), ...state, step: 'source' });
  return submitAction(
    texts.t('common:button.requestTransfer'),
    { msteams: { type: 'task/fetch' }, wizard },
    { style: 'positive' },
  );
}

/** `new` without everything the request needs: what is missing, and the button to the form. */
export function renderWizardEntry(texts: Texts, state: WizardState, missing: NewOption[]): AdaptiveCard {
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
  return adaptiveCard(body, [openWizardAction(texts, state)]);
}
