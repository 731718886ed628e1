import type { AssetList } from '../../../src/app/queries.js';
import type { Msg } from '../../../src/i18n/index.js';
import {
  actionSet,
  bullets,
  factSet,
  plain,
  textBlock,
  textInput,
  toggle,
  type AdaptiveCard,
  type CardElement,
} from '../render/card.js';
import { assetEntry } from '../render/list-cards.js';
import type { Texts } from '../render/texts.js';
import { forwardStep, go } from './cards.js';
import type { WizardState } from './state.js';
import { DEFAULT_VIRTUAL_ACCOUNT } from '../../../src/domain/types.js';

/** The last two steps of the dialog: picking assets (two tabs, search, reasons) and the review. */
export function assetsStep(
  texts: Texts,
  state: WizardState,
  list: AssetList | null,
  problems: Msg[],
): AdaptiveCard {
  const other = state.tab === 'licenses' ? 'devices' : 'licenses';
  const shown: string[] = [];
  const rows: CardElement[] = [];
  for (const row of list?.rows ?? []) {
    // Only an eligible asset gets a toggle; the others show their title and why they cannot move.
    const toggled = row.eligibility.eligible
      ? (title: string) => toggle(`sel_${shown.push(row.ref) - 1}`, title, state.selected.includes(row.ref))
      : undefined;
    rows.push(assetEntry(row, texts, toggled));
  }
  const drawn: WizardState = { ...state, shown };
  const content: CardElement[] = [
    textBlock(texts.t(`common:field.${state.tab}`), { weight: 'Bolder', size: 'Medium' }),
    textInput('assetQuery', {
      placeholder: texts.t(
        state.tab === 'licenses' ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices',
      ),
      ...(state.assetQuery ? { value: state.assetQuery } : {}),
    }),
    actionSet([
      go(drawn, texts.t('common:button.search'), 'search'),
      go(drawn, texts.t(`common:field.${other}`), 'tab', { tab: other }),
    ]),
    ...rows,
  ];
  if (list && list.rows.length === 0) content.push(textBlock(texts.t('teams:assets.none')));
  if (list?.more) content.push(textBlock(texts.t('teams:assets.more'), { isSubtle: true }));
  content.push(
    textBlock(texts.t('teams:wizard.selected', { count: state.selected.length }), {
      weight: 'Bolder',
      separator: true,
      spacing: 'Medium',
    }),
    ...(state.selected.length > 0
      ? [textBlock(state.selected.map(plain).join(', '), { spacing: 'None' })]
      : []),
  );
  return forwardStep(texts, drawn, content, problems);
}

export function reviewStep(texts: Texts, state: WizardState, problems: Msg[]): AdaptiveCard {
  const no = state.sameCompany === 'no';
  const content: CardElement[] = [
    factSet([
      [texts.t('common:field.sourceSmartAccount'), plain(state.source ?? '')],
      [
        texts.t('common:field.sourceVirtualAccount'),
        state.sourceVa ? plain(state.sourceVa) : texts.t('teams:wizard.allVirtualAccounts'),
      ],
      [texts.t('common:field.destinationSmartAccount'), plain(state.destination ?? '')],
      [
        texts.t('common:field.destinationVirtualAccount'),
        plain(state.destinationVa ?? DEFAULT_VIRTUAL_ACCOUNT),
      ],
      [
        texts.t('common:field.sameCompany'),
        texts.t(state.sameCompany === 'yes' ? 'common:answer.yes' : 'common:answer.no'),
      ],
      [texts.t('common:field.transferee'), no && state.transferee ? plain(state.transferee) : null],
      [texts.t('common:field.transfereeLegalName'), no && state.legalName ? plain(state.legalName) : null],
      [texts.t('common:field.address'), no && state.address ? plain(state.address) : null],
      [
        texts.t('common:field.businessJustification'),
        no && state.justification ? plain(state.justification) : null,
      ],
      [
        texts.t('common:field.termsAndConditions'),
        no ? texts.t(state.terms ? 'teams:wizard.accepted' : 'teams:wizard.notAccepted') : null,
      ],
    ]),
    textBlock(texts.t('teams:wizard.selected', { count: state.selected.length }), {
      weight: 'Bolder',
      spacing: 'Medium',
    }),
    ...bullets(state.selected.map(plain)),
  ];
  return forwardStep(texts, state, content, problems, 'submit');
}
