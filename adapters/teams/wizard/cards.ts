import type { AccountSummary } from '../../../src/app/queries.js';
import type { Msg } from '../../../src/i18n/index.js';
import {
  actionSet,
  adaptiveCard,
  choiceSet,
  container,
  factSet,
  heading,
  plain,
  submitAction,
  textBlock,
  textInput,
  toggle,
  type AdaptiveCard,
  type CardElement,
} from '../render/card.js';
import { assetCounts } from '../render/list-cards.js';
import type { Texts } from '../render/texts.js';
import { STEPS, type Go, type WizardState } from './state.js';

/** Every button of the dialog sends back the state it was drawn from and what it does. */
export function go(
  state: WizardState,
  title: string,
  to: Go,
  extra: Record<string, unknown> = {},
  style?: 'positive',
): CardElement {
  return submitAction(title, { wizard: state, go: to, ...extra }, style ? { style } : {});
}

/** One step of the dialog: where the user is, the step's own content, the last problem, the buttons. */
export function frame(
  x: Texts,
  state: WizardState,
  content: CardElement[],
  actions: CardElement[],
  problems: Msg[] = [],
): AdaptiveCard {
  const index = STEPS.indexOf(state.step) + 1;
  const body: CardElement[] = [
    heading(x.t('common:button.requestTransfer')),
    textBlock(
      x.t('teams:wizard.progress', {
        step: index,
        steps: STEPS.length,
        title: x.t(`teams:wizard.step.${state.step}`),
      }),
      { isSubtle: true, spacing: 'None' },
    ),
    ...content,
  ];
  if (problems.length > 0) {
    body.push(
      container(
        problems.map((p) => textBlock(x.msg(p), { color: 'Attention', spacing: 'Small' })),
        { spacing: 'Medium' },
      ),
    );
  }
  const back = state.step === 'source' ? [] : [go(state, x.t('common:button.back'), 'back')];
  const card = adaptiveCard(body, [...back, ...actions]);
  delete card.msteams;
  return card;
}

const accountTitle = (a: AccountSummary, x: Texts) => `${a.name} (${a.domain}) — ${assetCounts(x, a)}`;

export function sourceStep(
  x: Texts,
  state: WizardState,
  accounts: AccountSummary[],
  problems: Msg[],
): AdaptiveCard {
  const content: CardElement[] = [
    textInput('accountQuery', {
      label: x.t('common:field.sourceSmartAccount'),
      placeholder: x.t('common:placeholder.searchAccount'),
      ...(state.accountQuery ? { value: state.accountQuery } : {}),
    }),
    actionSet([go(state, x.t('common:button.search'), 'search')]),
  ];
  if (accounts.length === 0) content.push(textBlock(x.t('teams:accounts.none')));
  else {
    content.push(
      choiceSet(
        'source',
        accounts.map((a) => ({ title: accountTitle(a, x), value: a.domain })),
        {
          label: x.t('common:field.smartAccount'),
          placeholder: x.t('common:placeholder.searchAccount'),
          ...(state.source ? { value: state.source } : {}),
          expanded: accounts.length <= 5,
        },
      ),
    );
  }
  const chosen = accounts.find((a) => a.domain === state.source);
  if (state.showCounts && chosen) {
    content.push(
      textBlock(`**${plain(chosen.name)}** — ${assetCounts(x, chosen)}`, { spacing: 'Medium' }),
      factSet(chosen.virtualAccounts.map((v) => [plain(v.name), assetCounts(x, v)])),
    );
  }
  return frame(
    x,
    state,
    content,
    [
      go(state, x.t('common:button.showCounts'), 'counts'),
      go(state, x.t('common:button.next'), 'next', {}, 'positive'),
    ],
    problems,
  );
}

export function destinationStep(
  x: Texts,
  state: WizardState,
  accounts: AccountSummary[],
  problems: Msg[],
): AdaptiveCard {
  const source = accounts.find((a) => a.domain === state.source);
  const vaChoices = [
    { title: x.t('teams:wizard.allVirtualAccounts'), value: '*' },
    ...(source?.virtualAccounts ?? []).map((v) => ({ title: v.name, value: v.name })),
  ];
  const destinations = accounts
    .filter((a) => a.domain !== state.source)
    .flatMap((a) =>
      a.virtualAccounts.map((v) => ({
        title: `${a.name} (${a.domain}) / ${v.name}`,
        value: `${a.domain}/${v.name}`,
      })),
    );
  const current = state.destination ? `${state.destination}/${state.destinationVa ?? 'DEFAULT'}` : undefined;
  const content: CardElement[] = [
    factSet([
      [
        x.t('common:field.sourceSmartAccount'),
        source ? `${plain(source.name)} (${plain(source.domain)})` : plain(state.source ?? ''),
      ],
    ]),
    choiceSet('sourceVa', vaChoices, {
      label: x.t('common:field.sourceVirtualAccount'),
      value: state.sourceVa ?? '*',
      expanded: false,
    }),
    destinations.length > 0
      ? choiceSet('destination', destinations, {
          label: `${x.t('common:field.destinationSmartAccount')} / ${x.t('common:field.virtualAccount')}`,
          placeholder: x.t('common:placeholder.searchAccount'),
          ...(current ? { value: current } : {}),
        })
      : textBlock(x.t('teams:wizard.noDestination'), { color: 'Attention' }),
  ];
  return frame(x, state, content, [go(state, x.t('common:button.next'), 'next', {}, 'positive')], problems);
}

export function companyStep(x: Texts, state: WizardState, problems: Msg[]): AdaptiveCard {
  const content: CardElement[] = [
    textBlock(x.t('common:question.sameCompany'), { weight: 'Bolder' }),
    textBlock(x.t('common:question.sameCompanyHint'), { isSubtle: true, spacing: 'None' }),
    choiceSet(
      'sameCompany',
      [
        { title: x.t('common:answer.yes'), value: 'yes' },
        { title: x.t('common:answer.no'), value: 'no' },
      ],
      { expanded: true, ...(state.sameCompany ? { value: state.sameCompany } : {}) },
    ),
  ];
  return frame(x, state, content, [go(state, x.t('common:button.next'), 'next', {}, 'positive')], problems);
}

export function formStep(
  x: Texts,
  state: WizardState,
  transferees: { name: string; email: string }[],
  problems: Msg[],
): AdaptiveCard {
  const content: CardElement[] = [
    textBlock(x.t('teams:wizard.formIntro'), { isSubtle: true }),
    transferees.length > 0
      ? choiceSet(
          'transferee',
          transferees.map((t) => ({ title: `${t.name} (${t.email})`, value: t.email })),
          {
            label: x.t('common:question.transferee'),
            ...(state.transferee ? { value: state.transferee } : {}),
            expanded: transferees.length <= 5,
          },
        )
      : textBlock(x.t('teams:wizard.noTransferee', { domain: plain(state.destination ?? '') }), {
          color: 'Attention',
        }),
    textInput('justification', {
      label: x.t('common:field.businessJustification'),
      placeholder: x.t('common:placeholder.justification'),
      multiline: true,
      maxLength: 4000,
      ...(state.justification ? { value: state.justification } : {}),
    }),
    textInput('legalName', {
      label: x.t('common:field.transfereeLegalName'),
      maxLength: 500,
      ...(state.legalName ? { value: state.legalName } : {}),
    }),
    textInput('address', {
      label: x.t('common:field.address'),
      multiline: true,
      ...(state.address ? { value: state.address } : {}),
    }),
    toggle('terms', x.t('common:question.acceptTerms'), state.terms === true),
  ];
  return frame(x, state, content, [go(state, x.t('common:button.next'), 'next', {}, 'positive')], problems);
}
