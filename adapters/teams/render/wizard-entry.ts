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
export function openWizardAction(x: Texts, state: Partial<WizardState>): CardElement {
  const wizard = wizardStateSchema.parse({ ...emptyState(), ...state, step: 'source' });
  return submitAction(
    x.t('common:button.requestTransfer'),
    { msteams: { type: 'task/fetch' }, wizard },
    { style: 'positive' },
  );
}

/** `new` without everything the request needs: what is missing, and the button to the form. */
export function renderWizardEntry(x: Texts, state: WizardState, missing: NewOption[]): AdaptiveCard {
  const body: CardElement[] = [
    heading(x.t('common:button.requestTransfer')),
    textBlock(x.t('teams:wizard.open')),
  ];
  if (missing.length > 0) {
    body.push(
      textBlock(x.t('teams:wizard.missing'), { weight: 'Bolder' }),
      ...bullets(missing.map((o) => x.t(`grammar:option.${o}`))),
    );
  }
  return adaptiveCard(body, [openWizardAction(x, state)]);
}
