import { searchAccounts } from '../../../src/app/journey/choices.js';
import type { AccountChoice, JourneyState } from '../../../src/app/journey/journey.js';
import type { JourneyView } from '../../../src/app/journey/service.js';
import { virtualAccountLabel } from '../../../src/app/queries.js';
import { labelled, type Msg } from '../../../src/i18n/index.js';
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
        textBlock(texts.msg(view.error), { color: 'Attention', spacing: 'None' }),
        ...details.map((d) => textBlock(`• ${texts.msg(d)}`, { color: 'Attention', spacing: 'None' })),
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

/** Source: search, the accounts with their counts (and each Virtual Account), counts per Virtual Account on demand. */
export function sourceCard(drawing: Drawing): AdaptiveCard {
  const { texts, view, data } = drawing;
  const accounts = searchAccounts(view.accounts ?? [], data.accountQuery ?? '');
  const content: CardElement[] = [
    textInput('accountQuery', {
      label: texts.t('common:field.sourceSmartAccount'),
      placeholder: texts.t('common:placeholder.searchAccount'),
      ...(data.accountQuery ? { value: data.accountQuery } : {}),
    }),
    actionSet([go(drawing, texts.t('common:button.search'), 'search')]),
  ];
  if (view.blocked) return frame(drawing, [...content, textBlock(texts.msg(view.blocked))], []);
  const value = typedOr(drawing, 'source', accountText(view.state.source));
  if (accounts.length === 0) content.push(textBlock(texts.t('teams:accounts.none')));
  else
    content.push(
      choiceSet(
        'source',
        accounts.flatMap((a) => [
          { title: `${a.name} (${a.domain}) — ${assetCounts(texts, totals(a))}`, value: a.domain },
          ...(a.virtualAccounts.length > 1
            ? a.virtualAccounts.map((v) => ({
                title: `${a.name} (${a.domain}) / ${virtualAccountLabel(texts.reader.locale, v)} — ${assetCounts(texts, v)}`,
                value: `${a.domain}/${v.name}`,
              }))
            : []),
        ]),
        {
          label: texts.t('common:field.smartAccount'),
          placeholder: texts.t('common:placeholder.searchAccount'),
          ...(value ? { value } : {}),
          expanded: accounts.length <= 3,
        },
      ),
    );
  content.push(...problems(drawing));
  const chosen = (view.accounts ?? []).find((a) => a.domain === value?.split('/')[0]);
  if (data.showCounts && chosen) {
    content.push(
      textBlock(`**${plain(chosen.name)}** — ${assetCounts(texts, totals(chosen))}`, { spacing: 'Medium' }),
      factSet(
        chosen.virtualAccounts.map((v) => [
          plain(virtualAccountLabel(texts.reader.locale, v)),
          assetCounts(texts, v),
        ]),
      ),
    );
  }
  return frame(drawing, content, [
    go(drawing, texts.t('common:button.showCounts'), 'counts'),
    go(drawing, texts.t('common:button.next'), 'next', {}, 'positive'),
  ]);
}

/** Destination: every other account's Virtual Accounts (the source named, greyed); or the Virtual Account alone. */
export function destinationCard(drawing: Drawing): AdaptiveCard {
  const { texts, view } = drawing;
  const accounts = view.accounts ?? [];
  const content: CardElement[] = accounts
    .filter((a) => a.isSource)
    .map((a) =>
      textBlock(texts.t('core:journey.sourceGreyed', { domain: plain(`${a.name} (${a.domain})`) }), {
        isSubtle: true,
      }),
    );
  if (view.blocked) return frame(drawing, [...content, textBlock(texts.msg(view.blocked))], []);
  if (view.step === 'destinationVirtualAccount') {
    const chosen = accounts.find((a) => a.domain === view.state.destination?.smartAccount);
    const value = typedOr(drawing, 'destinationVirtualAccount', undefined);
    content.push(
      textBlock(
        labelled(
          texts.reader.locale,
          texts.t('common:field.destinationSmartAccount'),
          plain(chosen ? `${chosen.name} (${chosen.domain})` : ''),
        ),
      ),
      choiceSet(
        'destinationVirtualAccount',
        (chosen?.virtualAccounts ?? []).map((v) => ({
          title: virtualAccountLabel(texts.reader.locale, v),
          value: v.name,
        })),
        { label: texts.t('common:field.destinationVirtualAccount'), ...(value ? { value } : {}) },
      ),
    );
  } else {
    const value = typedOr(drawing, 'destination', accountText(view.state.destination));
    content.push(
      choiceSet(
        'destination',
        accounts
          .filter((a) => !a.isSource)
          .flatMap((a) =>
            a.virtualAccounts.map((v) => ({
              title: `${a.name} (${a.domain}) / ${virtualAccountLabel(texts.reader.locale, v)}`,
              value: `${a.domain}/${v.name}`,
            })),
          ),
        {
          label: `${texts.t('common:field.destinationSmartAccount')} / ${texts.t('common:field.virtualAccount')}`,
          placeholder: texts.t('common:placeholder.searchAccount'),
          ...(value ? { value } : {}),
        },
      ),
    );
  }
  return forward(drawing, [...content, ...problems(drawing)]);
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
  const people = (view.people ?? []).map((p) => ({ title: `${p.name} (${p.email})`, value: p.email }));
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
