import { fold, searchAccounts } from '../../../src/app/journey/choices.js';
import type { AccountChoice, JourneyState } from '../../../src/app/journey/journey.js';
import type { JourneyView } from '../../../src/app/journey/service.js';
import { virtualAccountLabel } from '../../../src/app/queries.js';
import { accountLabel, labelled, personLabel, type Msg } from '../../../src/i18n/index.js';
import {
  actionSet,
  adaptiveCard,
  choiceSet,
  container,
  factSet,
  fitCard,
  heading,
  plain,
  submitAction,
  textBlock,
  textInput,
  type AdaptiveCard,
  type CardElement,
} from '../render/card.js';
import { assetCounts } from '../render/list-cards.js';
import type { Texts } from '../render/texts.js';
import { cardOf, type CardData, type CardName, type Go } from './state.js';
import type { CatalogKey } from '../../../src/i18n/index.js';

/** What a card is drawn from: the core's view of the step, the card's data, and what was typed. */
export interface Drawing {
  texts: Texts;
  view: JourneyView & { step: Exclude<JourneyView['step'], 'done'> };
  data: CardData;
  /** The inputs as the person left them (redrawn after a wrong answer, a search, a tab). */
  typed: Record<string, unknown>;
  /** The problems behind the view's error, one per asset. */
  details: Msg[];
}

/** Every button of the dialog sends back the card's data (never the answers) and what it does. */
export function go(
  drawing: Drawing,
  title: string,
  to: Go,
  extra: Record<string, unknown> = {},
  style?: 'positive',
): CardElement {
  return submitAction(title, { wizard: { ...drawing.data }, go: to, ...extra }, style ? { style } : {});
}

/** What was wrong with the last answer, drawn right under the field it is about. */
export function problems(drawing: Drawing): CardElement[] {
  const { texts, view, details } = drawing;
  if (!view.error) return [];
  return [
    container(
      [
        textBlock(texts.cardMsg(view.error), { color: 'Attention', spacing: 'None' }),
        ...details.map((d) => textBlock(`• ${texts.cardMsg(d)}`, { color: 'Attention', spacing: 'None' })),
      ],
      { spacing: 'Small' },
    ),
  ];
}

const TITLES: Record<CardName, CatalogKey> = {
  source: 'teams:wizard.step.source',
  destination: 'teams:wizard.step.destination',
  sameCompany: 'teams:wizard.step.company',
  transferee: 'common:field.transferee',
  transferor: 'common:field.transferor',
  assets: 'teams:wizard.step.assets',
  form: 'teams:wizard.step.form',
  review: 'teams:wizard.step.review',
};

/** One card of the dialog: its title, the step's content, Back (to the card before) and its buttons. */
export function frame(drawing: Drawing, content: CardElement[], actions: CardElement[]): AdaptiveCard {
  const { texts, view } = drawing;
  const body: CardElement[] = [
    heading(texts.t('common:button.requestTransfer')),
    textBlock(texts.t(TITLES[cardOf(view.step)]), { isSubtle: true, spacing: 'None' }),
    // What the inventory says against an answer given before (the request form's steps): why it is asked.
    ...(view.note ? [textBlock(`⚠ ${texts.cardMsg(view.note)}`, { color: 'Warning' })] : []),
    ...content,
  ];
  const first = view.soFar[0] === undefined || cardOf(view.soFar[0]) === cardOf(view.step);
  const back = first ? [] : [go(drawing, texts.t('common:button.back'), 'back')];
  const card = adaptiveCard(body, [...back, ...actions]);
  delete card.msteams;
  return card;
}

/** A card with one way forward: the next card, or (from the review) the request itself. */
export function forward(
  drawing: Drawing,
  content: CardElement[],
  to: 'next' | 'submit' = 'next',
): AdaptiveCard {
  const label = drawing.texts.t(to === 'next' ? 'common:button.next' : 'common:button.submitForReview');
  return frame(drawing, content, [go(drawing, label, to, {}, 'positive')]);
}

/** A typed value if the person typed one, else the journey's answer. */
export function typedOr(drawing: Drawing, id: string, answer: string | undefined): string | undefined {
  const typed = drawing.typed[id];
  return typeof typed === 'string' ? typed : answer;
}

/** An account's licenses and devices: those of its Virtual Accounts. */
const totals = (account: AccountChoice) =>
  account.virtualAccounts.reduce(
    (sum, va) => ({ licenses: sum.licenses + va.licenses, devices: sum.devices + va.devices }),
    { licenses: 0, devices: 0 },
  );

const accountText = (ref: JourneyState['source']) =>
  ref ? (ref.virtualAccount ? `${ref.smartAccount}/${ref.virtualAccount}` : ref.smartAccount) : undefined;

/** Choices a card lists at most: past that, the search narrows them (a person may have hundreds). */
export const MAX_CHOICES = 50;

type Choice = { title: string; value: string };

/**
 * The first `limit` choices, the one already chosen kept among them, and a line saying how many more
 * match and to narrow the search.
 */
function someChoices(
  texts: Texts,
  choices: Choice[],
  limit: number,
  value: string | undefined,
): { shown: Choice[]; more: CardElement[] } {
  const shown = choices.slice(0, limit);
  const chosen = choices.find((c) => c.value === value);
  if (chosen && !shown.includes(chosen)) shown.push(chosen);
  const more = choices.length - shown.length;
  return {
    shown,
    more: more > 0 ? [textBlock(texts.t('teams:accounts.more', { count: more }), { isSubtle: true })] : [],
  };
}

/** The search field of a card that lists accounts, with its button. */
function accountSearch(drawing: Drawing, query: string, label?: string): CardElement[] {
  const { texts } = drawing;
  return [
    textInput('accountQuery', {
      ...(label ? { label } : {}),
      placeholder: texts.t('common:placeholder.searchAccount'),
      ...(query ? { value: query } : {}),
    }),
    actionSet([go(drawing, texts.t('common:button.search'), 'search')]),
  ];
}

/** Source: search, the accounts with their counts (and each Virtual Account), counts per Virtual Account on demand. */
export function sourceCard(drawing: Drawing): AdaptiveCard {
  const { texts, view, data } = drawing;
  const accounts = searchAccounts(view.accounts ?? [], data.accountQuery ?? '');
  const content = accountSearch(drawing, data.accountQuery ?? '', texts.t('common:field.sourceSmartAccount'));
  if (view.blocked) return frame(drawing, [...content, textBlock(texts.cardMsg(view.blocked))], []);
  const value = typedOr(drawing, 'source', accountText(view.state.source));
  const choices = accounts.flatMap((a) => [
    { title: `${accountLabel(texts.reader.locale, a)} — ${assetCounts(texts, totals(a))}`, value: a.domain },
    ...(a.virtualAccounts.length > 1
      ? a.virtualAccounts.map((v) => ({
          title: `${accountLabel(texts.reader.locale, a, virtualAccountLabel(texts.reader.locale, v))} — ${assetCounts(texts, v)}`,
          value: `${a.domain}/${v.name}`,
        }))
      : []),
  ]);
  const chosen = (view.accounts ?? []).find((a) => a.domain === value?.split('/')[0]);
  const counts =
    data.showCounts && chosen
      ? [
          textBlock(`**${plain(chosen.name)}** — ${assetCounts(texts, totals(chosen))}`, {
            spacing: 'Medium',
          }),
          factSet(
            chosen.virtualAccounts
              .slice(0, MAX_CHOICES)
              .map((v) => [plain(virtualAccountLabel(texts.reader.locale, v)), assetCounts(texts, v)]),
          ),
        ]
      : [];
  return fitCard(Math.min(choices.length, MAX_CHOICES), (limit) => {
    const list: CardElement[] = [];
    if (accounts.length === 0) list.push(textBlock(texts.t('teams:accounts.none')));
    else {
      const { shown, more } = someChoices(texts, choices, limit, value);
      list.push(
        choiceSet('source', shown, {
          label: texts.t('common:field.smartAccount'),
          placeholder: texts.t('common:placeholder.searchAccount'),
          ...(value ? { value } : {}),
          expanded: accounts.length <= 3,
        }),
        ...more,
      );
    }
    return frame(
      drawing,
      [...content, ...list, ...problems(drawing), ...counts],
      [
        go(drawing, texts.t('common:button.showCounts'), 'counts'),
        go(drawing, texts.t('common:button.next'), 'next', {}, 'positive'),
      ],
    );
  });
}

/** Whether a search matches a Virtual Account by its name, or by its account's name or domain. */
const matches = (query: string, ...texts: string[]) => texts.some((text) => fold(text).includes(query));

/**
 * Destination: the other accounts' Virtual Accounts (the source named, greyed); or the Virtual Account
 * alone. Both searchable, as the source is.
 */
export function destinationCard(drawing: Drawing): AdaptiveCard {
  const { texts, view } = drawing;
  const accounts = view.accounts ?? [];
  // The search typed on this card (the card's data may still hold the source card's).
  const typed = typeof drawing.typed['accountQuery'] === 'string' ? drawing.typed['accountQuery'].trim() : '';
  const query = fold(typed);
  const content: CardElement[] = accounts
    .filter((a) => a.isSource)
    .map((a) =>
      textBlock(
        texts.t('core:journey.sourceGreyed', { domain: plain(accountLabel(texts.reader.locale, a)) }),
        {
          isSubtle: true,
        },
      ),
    );
  if (view.blocked) return frame(drawing, [...content, textBlock(texts.cardMsg(view.blocked))], []);
  let field: string;
  let label: string;
  let value: string | undefined;
  let choices: Choice[];
  if (view.step === 'destinationVirtualAccount') {
    const chosen = accounts.find((a) => a.domain === view.state.destination?.smartAccount);
    field = 'destinationVirtualAccount';
    label = texts.t('common:field.destinationVirtualAccount');
    value = typedOr(drawing, field, undefined);
    content.push(
      textBlock(
        labelled(
          texts.reader.locale,
          texts.t('common:field.destinationSmartAccount'),
          plain(chosen ? accountLabel(texts.reader.locale, chosen) : ''),
        ),
      ),
    );
    choices = (chosen?.virtualAccounts ?? [])
      .filter((v) => matches(query, v.name))
      .map((v) => ({ title: virtualAccountLabel(texts.reader.locale, v), value: v.name }));
  } else {
    const others = accounts.filter((a) => !a.isSource);
    const found = new Set(query === '' ? others : searchAccounts(others, typed));
    field = 'destination';
    label = `${texts.t('common:field.destinationSmartAccount')} / ${texts.t('common:field.virtualAccount')}`;
    value = typedOr(drawing, field, accountText(view.state.destination));
    choices = others.flatMap((a) =>
      a.virtualAccounts
        .filter((v) => found.has(a) || matches(query, v.name, `${a.domain}/${v.name}`))
        .map((v) => ({
          title: accountLabel(texts.reader.locale, a, virtualAccountLabel(texts.reader.locale, v)),
          value: `${a.domain}/${v.name}`,
        })),
    );
  }
  content.push(...accountSearch(drawing, typed));
  return fitCard(Math.min(choices.length, MAX_CHOICES), (limit) => {
    const { shown, more } = someChoices(texts, choices, limit, value);
    return forward(drawing, [
      ...content,
      choices.length === 0 && field === 'destination'
        ? textBlock(texts.t('teams:accounts.none'))
        : choiceSet(field, shown, {
            label,
            placeholder: texts.t('common:placeholder.searchAccount'),
            ...(value ? { value } : {}),
          }),
      ...more,
      ...problems(drawing),
    ]);
  });
}

export function sameCompanyCard(drawing: Drawing): AdaptiveCard {
  const { texts, view } = drawing;
  const answer = view.state.sameCompany === undefined ? undefined : view.state.sameCompany ? 'yes' : 'no';
  const value = typedOr(drawing, 'sameCompany', answer);
  return forward(drawing, [
    textBlock(texts.t('common:question.sameCompany'), { weight: 'Bolder' }),
    textBlock(texts.t('common:question.sameCompanyHint'), { isSubtle: true, spacing: 'None' }),
    choiceSet(
      'sameCompany',
      [
        { title: texts.t('common:answer.yes'), value: 'yes' },
        { title: texts.t('common:answer.no'), value: 'no' },
      ],
      { expanded: true, ...(value ? { value } : {}) },
    ),
    ...problems(drawing),
  ]);
}

/** Transferee, or on a partner's request the transferor (with "ask every eligible admin"). */
export function personCard(drawing: Drawing): AdaptiveCard {
  const { texts, view } = drawing;
  const people = (view.people ?? []).map((p) => ({
    title: personLabel(texts.reader.locale, p),
    value: p.email,
  }));
  const content: CardElement[] = [];
  if (view.step === 'transferor') {
    const value = typedOr(drawing, 'transferor', view.state.transferor ?? '*');
    content.push(
      choiceSet('transferor', [{ title: texts.t('teams:wizard.askAll'), value: '*' }, ...people], {
        label: texts.t('common:field.transferor'),
        expanded: people.length <= 5,
        ...(value ? { value } : {}),
      }),
    );
  } else if (people.length === 0) {
    const domain = plain(view.state.destination?.smartAccount ?? '');
    content.push(textBlock(texts.t('core:journey.error.noTransferee', { domain }), { color: 'Attention' }));
  } else {
    const value = typedOr(drawing, 'transferee', view.state.transferee);
    content.push(
      choiceSet('transferee', people, {
        label: texts.t('common:question.transferee'),
        expanded: people.length <= 5,
        ...(value ? { value } : {}),
      }),
    );
  }
  return forward(drawing, [...content, ...problems(drawing)]);
}
