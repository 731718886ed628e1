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
import { frame, go } from './cards.js';
import type { WizardState } from './state.js';

/** The last two steps of the dialog: picking assets (two tabs, search, reasons) and the review. */
export function assetsStep(
  x: Texts,
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
    rows.push(assetEntry(row, x, toggled));
  }
  const drawn: WizardState = { ...state, shown };
  const content: CardElement[] = [
    textBlock(x.t(`common:field.${state.tab}`), { weight: 'Bolder', size: 'Medium' }),
    textInput('assetQuery', {
      placeholder: x.t(
        state.tab === 'licenses' ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices',
      ),
      ...(state.assetQuery ? { value: state.assetQuery } : {}),
    }),
    actionSet([
      go(drawn, x.t('common:button.search'), 'search'),
      go(drawn, x.t(`common:field.${other}`), 'tab', { tab: other }),
    ]),
    ...rows,
  ];
  if (list && list.rows.length === 0) content.push(textBlock(x.t('teams:assets.none')));
  if (list?.more) content.push(textBlock(x.t('teams:assets.more'), { isSubtle: true }));
  content.push(
    textBlock(x.t('teams:wizard.selected', { count: state.selected.length }), {
      weight: 'Bolder',
      separator: true,
      spacing: 'Medium',
    }),
    ...(state.selected.length > 0
      ? [textBlock(state.selected.map(plain).join(', '), { spacing: 'None' })]
      : []),
  );
  return frame(x, drawn, content, [go(drawn, x.t('common:button.next'), 'next', {}, 'positive')], problems);
}

export function reviewStep(x: Texts, state: WizardState, problems: Msg[]): AdaptiveCard {
  const no = state.sameCompany === 'no';
  const content: CardElement[] = [
    factSet([
      [x.t('common:field.sourceSmartAccount'), plain(state.source ?? '')],
      [
        x.t('common:field.sourceVirtualAccount'),
        state.sourceVa ? plain(state.sourceVa) : x.t('teams:wizard.allVirtualAccounts'),
      ],
      [x.t('common:field.destinationSmartAccount'), plain(state.destination ?? '')],
      [x.t('common:field.destinationVirtualAccount'), plain(state.destinationVa ?? 'DEFAULT')],
      [
        x.t('common:field.sameCompany'),
        x.t(state.sameCompany === 'yes' ? 'common:answer.yes' : 'common:answer.no'),
      ],
      [x.t('common:field.transferee'), no && state.transferee ? plain(state.transferee) : null],
      [x.t('common:field.transfereeLegalName'), no && state.legalName ? plain(state.legalName) : null],
      [x.t('common:field.address'), no && state.address ? plain(state.address) : null],
      [
        x.t('common:field.businessJustification'),
        no && state.justification ? plain(state.justification) : null,
      ],
      [
        x.t('common:field.termsAndConditions'),
        no ? x.t(state.terms ? 'teams:wizard.accepted' : 'teams:wizard.notAccepted') : null,
      ],
    ]),
    textBlock(x.t('teams:wizard.selected', { count: state.selected.length }), {
      weight: 'Bolder',
      spacing: 'Medium',
    }),
    ...bullets(state.selected.map(plain)),
  ];
  return frame(
    x,
    state,
    content,
    [go(state, x.t('common:button.submitForReview'), 'submit', {}, 'positive')],
    problems,
  );
}
