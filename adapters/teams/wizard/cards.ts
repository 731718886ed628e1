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
import { cardState, STEPS, type Go, type WizardState } from './state.js';
import { DEFAULT_VIRTUAL_ACCOUNT } from '../../../src/domain/types.js';

/** Every button of the dialog sends back the state it was drawn from and what it does. */
export function go(
  state: WizardState,
  title: string,
  to: Go,
  extra: Record<string, unknown> = {},
  style?: 'positive',
): CardElement {
  return submitAction(title, { wizard: cardState(state), go: to, ...extra }, style ? { style } : {});
}

/** One step of the dialog: where the user is, the step's own content, the last problem, the buttons. */
export function frame(
  texts: Texts,
  state: WizardState,
  content: CardElement[],
  actions: CardElement[],
  problems: Msg[] = [],
): AdaptiveCard {
  const index = STEPS.indexOf(state.step) + 1;
  const body: CardElement[] = [
    heading(texts.t('common:button.requestTransfer')),
    textBlock(
      texts.t('teams:wizard.progress', {
        step: index,
        steps: STEPS.length,
        title: texts.t(`teams:wizard.step.${state.step}`),
      }),
      { isSubtle: true, spacing: 'None' },
    ),
    ...content,
  ];
  if (problems.length > 0) {
    body.push(
      container(
        problems.map((p) => textBlock(texts.msg(p), { color: 'Attention', spacing: 'Small' })),
        { spacing: 'Medium' },
      ),
    );
  }
  const back = state.step === 'source' ? [] : [go(state, texts.t('common:button.back'), 'back')];
  const card = adaptiveCard(body, [...back, ...actions]);
  delete card.msteams;
  return card;
}

/** A step with one way forward: the next step, or (from the review) the request itself. */
export function forwardStep(
  texts: Texts,
  state: WizardState,
  content: CardElement[],
  problems: Msg[],
  to: 'next' | 'submit' = 'next',
): AdaptiveCard {
  const label = texts.t(to === 'next' ? 'common:button.next' : 'common:button.submitForReview');
  return frame(texts, state, content, [go(state, label, to, {}, 'positive')], problems);
}

const accountTitle = (account: AccountSummary, texts: Texts) =>
  `${account.name} (${account.domain}) — ${assetCounts(texts, account)}`;

export function sourceStep(
  texts: Texts,
  state: WizardState,
  accounts: AccountSummary[],
  problems: Msg[],
): AdaptiveCard {
  const content: CardElement[] = [
    textInput('accountQuery', {
      label: texts.t('common:field.sourceSmartAccount'),
      placeholder: texts.t('common:placeholder.searchAccount'),
      ...(state.accountQuery ? { value: state.accountQuery } : {}),
    }),
    actionSet([go(state, texts.t('common:button.search'), 'search')]),
  ];
  if (accounts.length === 0) content.push(textBlock(texts.t('teams:accounts.none')));
  else {
    content.push(
      choiceSet(
        'source',
        accounts.map((a) => ({ title: accountTitle(a, texts), value: a.domain })),
        {
          label: texts.t('common:field.smartAccount'),
          placeholder: texts.t('common:placeholder.searchAccount'),
          ...(state.source ? { value: state.source } : {}),
          expanded: accounts.length <= 5,
        },
      ),
    );
  }
  const chosen = accounts.find((a) => a.domain === state.source);
  if (state.showCounts && chosen) {
    content.push(
      textBlock(`**${plain(chosen.name)}** — ${assetCounts(texts, chosen)}`, { spacing: 'Medium' }),
      factSet(chosen.virtualAccounts.map((v) => [plain(v.name), assetCounts(texts, v)])),
    );
  }
  return frame(
    texts,
    state,
    content,
    [
      go(state, texts.t('common:button.showCounts'), 'counts'),
      go(state, texts.t('common:button.next'), 'next', {}, 'positive'),
    ],
    problems,
  );
}

export function destinationStep(
  texts: Texts,
  state: WizardState,
  accounts: AccountSummary[],
  problems: Msg[],
): AdaptiveCard {
  const source = accounts.find((a) => a.domain === state.source);
  const vaChoices = [
    { title: texts.t('teams:wizard.allVirtualAccounts'), value: '*' },
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
  const current = state.destination
    ? `${state.destination}/${state.destinationVa ?? DEFAULT_VIRTUAL_ACCOUNT}`
    : undefined;
  const content: CardElement[] = [
    factSet([
      [
        texts.t('common:field.sourceSmartAccount'),
        source ? `${plain(source.name)} (${plain(source.domain)})` : plain(state.source ?? ''),
      ],
    ]),
    choiceSet('sourceVa', vaChoices, {
      label: texts.t('common:field.sourceVirtualAccount'),
      value: state.sourceVa ?? '*',
      expanded: false,
    }),
    destinations.length > 0
      ? choiceSet('destination', destinations, {
          label: `${texts.t('common:field.destinationSmartAccount')} / ${texts.t('common:field.virtualAccount')}`,
          placeholder: texts.t('common:placeholder.searchAccount'),
          ...(current ? { value: current } : {}),
        })
      : textBlock(texts.t('teams:wizard.noDestination'), { color: 'Attention' }),
  ];
  return forwardStep(texts, state, content, problems);
}

export function companyStep(texts: Texts, state: WizardState, problems: Msg[]): AdaptiveCard {
  const content: CardElement[] = [
    textBlock(texts.t('common:question.sameCompany'), { weight: 'Bolder' }),
    textBlock(texts.t('common:question.sameCompanyHint'), { isSubtle: true, spacing: 'None' }),
    choiceSet(
      'sameCompany',
      [
        { title: texts.t('common:answer.yes'), value: 'yes' },
        { title: texts.t('common:answer.no'), value: 'no' },
      ],
      { expanded: true, ...(state.sameCompany ? { value: state.sameCompany } : {}) },
    ),
  ];
  return forwardStep(texts, state, content, problems);
}

export function formStep(
  texts: Texts,
  state: WizardState,
  transferees: { name: string; email: string }[],
  problems: Msg[],
): AdaptiveCard {
  const content: CardElement[] = [
    textBlock(texts.t('teams:wizard.formIntro'), { isSubtle: true }),
    transferees.length > 0
      ? choiceSet(
          'transferee',
          transferees.map((t) => ({ title: `${t.name} (${t.email})`, value: t.email })),
          {
            label: texts.t('common:question.transferee'),
            ...(state.transferee ? { value: state.transferee } : {}),
            expanded: transferees.length <= 5,
          },
        )
      : textBlock(texts.t('teams:wizard.noTransferee', { domain: plain(state.destination ?? '') }), {
          color: 'Attention',
        }),
    textInput('justification', {
      label: texts.t('common:field.businessJustification'),
      placeholder: texts.t('common:placeholder.justification'),
      multiline: true,
      maxLength: 4000,
      ...(state.justification ? { value: state.justification } : {}),
    }),
    textInput('legalName', {
      label: texts.t('common:field.transfereeLegalName'),
      maxLength: 500,
      ...(state.legalName ? { value: state.legalName } : {}),
    }),
    textInput('address', {
      label: texts.t('common:field.address'),
      multiline: true,
      ...(state.address ? { value: state.address } : {}),
    }),
    toggle('terms', texts.t('common:question.acceptTerms'), state.terms === true),
  ];
  return forwardStep(texts, state, content, problems);
}
