import { z } from 'zod';
import { STEPS, type JourneyState, type StepName } from '../../../src/app/journey/journey.js';
import { ASSET_PAGE } from '../../../src/app/journey/service.js';
import type { WholeSelection } from '../../../src/commands/asset-ref.js';

/**
 * What the dialog's cards carry. The answers live in the journey's draft, which the bot keeps; a card
 * carries the draft's id, the step it was drawn at, and how it is drawn (search, tab, the asset rows
 * shown with a toggle). Only the card a one-line `new` offers, drawn before any draft exists, carries the
 * answers the command gave, which open the dialog's draft.
 */

/** The dialog's cards; a card may take several consecutive steps of the journey. */
export const CARDS = {
  source: ['source'],
  destination: ['destination', 'destinationVirtualAccount'],
  sameCompany: ['sameCompany'],
  transferee: ['transferee'],
  transferor: ['transferor'],
  assets: ['assets'],
  form: ['justification', 'terms'],
  review: ['review'],
} as const satisfies Record<string, readonly StepName[]>;

export type CardName = keyof typeof CARDS;

export function cardOf(step: StepName): CardName {
  const found = (Object.keys(CARDS) as CardName[]).find((card) =>
    (CARDS[card] as readonly StepName[]).includes(step),
  );
  return found!;
}

const text = (max: number) => z.string().max(max).optional();
export const cardDataSchema = z.object({
  draft: z.string().max(100).optional(),
  /** The journey's step the card was drawn at (the next one, or one the person went back to). */
  at: z.enum(STEPS).optional(),
  accountQuery: text(200),
  showCounts: z.boolean().optional(),
  tab: z.enum(['licenses', 'devices']).default('licenses'),
  /** The references drawn with a toggle on the asset card, in toggle order (`sel_0`, `sel_1` …). */
  shown: z
    .array(z.string().max(200))
    .max(2 * ASSET_PAGE)
    .default([]),
});

export type CardData = z.output<typeof cardDataSchema>;

export const GOS = ['next', 'back', 'search', 'counts', 'tab', 'all', 'submit'] as const;
export type Go = (typeof GOS)[number];

/** What one click in the dialog sends: the card's data, the button, and the inputs' values. */
export const wizardSubmitSchema = z
  .object({
    wizard: cardDataSchema,
    go: z.enum(GOS).default('next'),
    tab: z.enum(['licenses', 'devices']).optional(),
  })
  .catchall(z.unknown());

export type WizardSubmit = z.output<typeof wizardSubmitSchema>;

export function emptyCard(): CardData {
  return cardDataSchema.parse({});
}

/** The entry card of a one-line `new` or a file of references: the draft holding what they gave. */
export function entryCard(draftId: string): CardData {
  return { ...emptyCard(), draft: draftId };
}

/** `ALL`, `VA:NAME`, each perhaps followed by its kind: how a whole selection is typed. */
export function wholeText(selection: WholeSelection): string {
  const scope = selection.virtualAccount === undefined ? 'ALL' : `VA:${selection.virtualAccount}`;
  return selection.kind ? `${scope} ${selection.kind}` : scope;
}

/** The longest selection the asset card's text field takes. */
export const SELECTION_FIELD_MAX = 20_000;

/**
 * The journey's selection as the asset card's text field shows it, and what it keeps aside: the parts
 * past what the field holds (a file of thousands of references), which stay in the request as they are.
 */
export function selectionFor(journey: JourneyState): { text: string; kept: string[] } {
  const assets = journey.assets;
  if (!assets) return { text: '', kept: [] };
  const shown: string[] = [];
  const kept: string[] = [];
  let length = 0;
  for (const part of [...assets.refs, ...assets.whole.map(wholeText)]) {
    length += part.length + (shown.length > 0 ? 2 : 0);
    if (kept.length === 0 && length <= SELECTION_FIELD_MAX) shown.push(part);
    else kept.push(part);
  }
  return { text: shown.join(', '), kept };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The parts of a typed selection, as the journey splits them (commas), blanks dropped. */
export function selectionParts(typed: string): string[] {
  return typed
    .split(/[,，、\n]/u)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * The asset card's answer: what the text field holds (the draft's selection when the card sent none) and
 * what the field could not hold, with the references ticked on the page added and those unticked removed.
 * The journey reads and checks it.
 */
export function assetAnswer(card: CardData, inputs: Record<string, unknown>, journey: JourneyState): string {
  const held = selectionFor(journey);
  const typed = str(inputs['assets']) ?? held.text;
  const parts = [...selectionParts(typed), ...held.kept];
  const has = (ref: string) => parts.some((part) => part.toUpperCase() === ref.toUpperCase());
  card.shown.forEach((ref, index) => {
    const value = inputs[`sel_${index}`];
    const ticked = value === true || value === 'true';
    const unticked = value === false || value === 'false';
    if (ticked && !has(ref)) parts.push(ref);
    if (unticked)
      for (let i = parts.length - 1; i >= 0; i--)
        if (parts[i]!.toUpperCase() === ref.toUpperCase()) parts.splice(i, 1);
  });
  return parts.join(', ');
}

/** The text a card's inputs give as the answer to `step`; undefined when the card did not ask it. */
export function answerText(step: StepName, inputs: Record<string, unknown>): string | undefined {
  const value = str(inputs[step]);
  switch (step) {
    case 'source':
      // A search typed but no account picked: the search is the answer (the journey finds one account).
      return value?.trim() || str(inputs['accountQuery']) || value;
    case 'transferor':
      // "Ask every eligible admin" is the journey's empty answer.
      return value === '*' ? '' : value;
    case 'terms':
      if (value === undefined) return undefined;
      return value === 'true' ? 'yes' : value === 'false' ? 'no' : value;
    case 'review':
      return 'yes';
    case 'destination':
    case 'destinationVirtualAccount':
    case 'sameCompany':
    case 'transferee':
    case 'assets':
    case 'justification':
      return value;
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}
