import {
  actionSet,
  bullets,
  factSet,
  fitCard,
  plain,
  textBlock,
  textInput,
  toggle,
  type AdaptiveCard,
  type CardElement,
} from '../render/card.js';
import { assetEntry } from '../render/list-cards.js';
import { selectionBlock } from '../render/transfer-card.js';
import { forward, go, problems, typedOr, type Drawing } from './cards.js';
import { SELECTION_FIELD_MAX, selectionFor, selectionParts, wholeText } from './state.js';
import { parseWholeSelection } from '../../../src/commands/asset-ref.js';
import { personLabel } from '../../../src/i18n/index.js';
import { reviewAnswers, type ReviewValue } from '../../../src/app/journey/review-answers.js';

/** Named references the review lists one by one; above that it counts them. */
const REVIEW_LISTED = 50;

/**
 * Licenses and devices: the current search (one tab at a time), a toggle per eligible asset, "Select all
 * eligible (N)", and the selection as text (references, `ALL`, `VA:NAME`), which the journey checks.
 */
export function assetsCard(drawing: Drawing): AdaptiveCard {
  // As many of the search's assets as fit a card Teams accepts; the search narrows to the others.
  const rows = drawing.view.assets?.[drawing.data.tab]?.rows.length ?? 0;
  return fitCard(rows, (shownRows) => drawAssetsCard(drawing, shownRows));
}

function drawAssetsCard(drawing: Drawing, shownRows: number): AdaptiveCard {
  const { texts, view, data } = drawing;
  const held = selectionFor(view.state);
  const keptAside = new Set(held.kept.map((part) => part.toUpperCase()));
  // A redraw shows what was typed, less what the field keeps aside (it was added to the answer).
  const typed = drawing.typed['assets'];
  const selection =
    typeof typed === 'string'
      ? selectionParts(typed)
          .filter((part) => !keptAside.has(part.toUpperCase()))
          .join(', ')
      : held.text;
  const parts = [...selectionParts(selection), ...held.kept];
  const picked = (ref: string) => parts.some((part) => part.toUpperCase() === ref.toUpperCase());
  const tab = data.tab;
  const other = tab === 'licenses' ? 'devices' : 'licenses';
  const list = view.assets?.[tab];
  const shown: string[] = [];
  const rows: CardElement[] = (list?.rows ?? []).slice(0, shownRows).map((row) =>
    assetEntry(
      row,
      texts,
      // Only an eligible asset gets a toggle; the others show their title and why they cannot move.
      row.eligibility.eligible
        ? (title) => toggle(`sel_${shown.push(row.ref) - 1}`, title, picked(row.ref))
        : undefined,
    ),
  );
  const drawn: Drawing = { ...drawing, data: { ...data, shown } };
  const query = view.state.assetQuery;
  const content: CardElement[] = [
    textBlock(texts.t(`common:field.${tab}`), { weight: 'Bolder', size: 'Medium' }),
    textInput('assetQuery', {
      placeholder: texts.t(
        tab === 'licenses' ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices',
      ),
      ...(query ? { value: query } : {}),
    }),
    actionSet([
      go(drawn, texts.t('common:button.search'), 'search'),
      go(drawn, texts.t(`common:field.${other}`), 'tab', { tab: other }),
      ...(view.assets
        ? [go(drawn, texts.t('teams:wizard.selectAll', { count: view.assets.eligible[tab] }), 'all')]
        : []),
    ]),
    ...rows,
  ];
  if (list && list.rows.length === 0) content.push(textBlock(texts.t('teams:assets.none')));
  if (list && (list.more || shownRows < list.rows.length))
    content.push(textBlock(texts.t('teams:assets.more'), { isSubtle: true }));
  content.push(
    // A whole selection (ALL, VA:NAME) is not one asset: it is counted apart, its assets on the review.
    textBlock(selectedLine(texts, parts), {
      weight: 'Bolder',
      separator: true,
      spacing: 'Medium',
    }),
    textInput('assets', {
      label: texts.t('teams:wizard.references'),
      multiline: true,
      maxLength: SELECTION_FIELD_MAX,
      ...(selection ? { value: selection } : {}),
    }),
    ...(held.kept.length > 0
      ? [textBlock(texts.t('common:summary.keptOutOfView', { count: held.kept.length }), { isSubtle: true })]
      : []),
    ...problems(drawing),
  );
  return forward(drawn, content);
}

/**
 * The request form: justification, the transferee company's legal name and address (from the inventory,
 * editable), the terms and conditions with their text, and accepting them.
 */
export function formCard(drawing: Drawing): AdaptiveCard {
  const { texts, view } = drawing;
  const state = view.state;
  const content: CardElement[] = [textBlock(texts.t('teams:wizard.formIntro'), { isSubtle: true })];
  const justification = typedOr(drawing, 'justification', state.justification);
  if (view.step === 'justification') {
    content.push(
      textInput('justification', {
        label: texts.t('common:field.businessJustification'),
        placeholder: texts.t('common:placeholder.justification'),
        multiline: true,
        maxLength: 4000,
        ...(justification ? { value: justification } : {}),
      }),
      ...problems(drawing),
    );
  } else {
    content.push(factSet([[texts.t('common:field.businessJustification'), plain(justification ?? '')]]));
  }
  const legalName = typedOr(drawing, 'legalName', state.transfereeLegalName ?? view.company?.legalName ?? '');
  const address = typedOr(drawing, 'address', state.transfereeAddress ?? view.company?.address ?? '');
  const typedTerms = drawing.typed['terms'];
  const accepted = typedTerms === undefined ? state.termsAccepted === true : typedTerms === 'true';
  content.push(
    textInput('legalName', {
      label: texts.t('common:field.transfereeLegalName'),
      maxLength: 500,
      ...(legalName ? { value: legalName } : {}),
    }),
    textInput('address', {
      label: texts.t('common:field.address'),
      multiline: true,
      ...(address ? { value: address } : {}),
    }),
    textBlock(texts.t('common:field.termsAndConditions'), { weight: 'Bolder', spacing: 'Medium' }),
    textBlock(texts.t('common:terms.text'), { isSubtle: true, spacing: 'None' }),
    toggle('terms', texts.t('common:question.acceptTerms'), accepted),
    ...(view.step === 'terms' ? problems(drawing) : []),
  );
  return forward(drawing, content);
}

/** "Selected: 3 assets", or, with whole selections among the parts, the named assets and those apart. */
function selectedLine(texts: Drawing['texts'], parts: readonly string[]): string {
  const whole = parts.filter((part) => parseWholeSelection(part) !== undefined).length;
  return whole === 0
    ? texts.t('teams:wizard.selected', { count: parts.length })
    : texts.t('teams:wizard.selectedWithWhole', { count: parts.length - whole, whole });
}

/** The review: every answer, the selection counted per kind and Virtual Account, and what was left out. */
export function reviewCard(drawing: Drawing): AdaptiveCard {
  const { texts, view } = drawing;
  const state = view.state;
  const refs = state.assets?.refs ?? [];
  const whole = (state.assets?.whole ?? []).map(wholeText);
  // The answers as the core lists them for every surface; people by name with their e-mail, as the
  // inventory knows them, the e-mail alone otherwise.
  const answer = (value: ReviewValue): string => {
    switch (value.kind) {
      case 'text':
        return plain(value.text);
      case 'words':
        return texts.t(value.words.key, value.words.params);
      case 'person':
        return plain(value.known ? personLabel(texts.reader.locale, value.known) : value.email);
    }
  };
  const content: CardElement[] = [
    factSet([
      [texts.t('common:field.sourceSmartAccount'), plain(state.source?.smartAccount ?? '')],
      [
        texts.t('common:field.sourceVirtualAccount'),
        state.source?.virtualAccount
          ? plain(state.source.virtualAccount)
          : texts.t('teams:wizard.allVirtualAccounts'),
      ],
      [texts.t('common:field.destinationSmartAccount'), plain(state.destination?.smartAccount ?? '')],
      [texts.t('common:field.destinationVirtualAccount'), plain(state.destination?.virtualAccount ?? '')],
      ...reviewAnswers(view).map((a): [string, string] => [texts.t(a.field), answer(a.value)]),
    ]),
    // What the selection takes in, once the review has counted it (whole selections included).
    textBlock(
      view.review
        ? texts.t('teams:wizard.selected', { count: view.review.licenses + view.review.devices })
        : selectedLine(texts, [...whole, ...refs]),
      { weight: 'Bolder', spacing: 'Medium' },
    ),
    ...bullets([...whole, ...refs.slice(0, REVIEW_LISTED)].map(plain)),
  ];
  if (view.review) content.push(selectionBlock(view.review, texts));
  content.push(...problems(drawing));
  return forward(drawing, content, 'submit');
}
