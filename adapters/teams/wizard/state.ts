import { z } from 'zod';
import type { NewPrefill } from '../../../src/commands/command.js';
import { formatAssetRef } from '../../../src/commands/asset-ref.js';
import type { JourneyState } from '../../../src/app/journey/journey.js';
import { DEFAULT_VIRTUAL_ACCOUNT } from '../../../src/domain/types.js';

/**
 * The request wizard's answers so far, as the dialog's steps read them. The answers live in a draft the
 * bot keeps; a card carries the draft's id and how the dialog is drawn (a card drawn before a draft
 * existed, such as the one a one-line `new` offers, carries its answers). The core re-checks the request.
 */
export const STEPS = ['source', 'destination', 'company', 'form', 'assets', 'review'] as const;
export type Step = (typeof STEPS)[number];

const text = (max: number) => z.string().max(max).optional();

export const wizardStateSchema = z.object({
  step: z.enum(STEPS).default('source'),
  accountQuery: text(200),
  showCounts: z.boolean().optional(),
  source: text(255),
  sourceVa: text(255),
  destination: text(255),
  destinationVa: text(255),
  sameCompany: z.enum(['yes', 'no']).optional(),
  transferee: text(320),
  justification: text(4000),
  legalName: text(500),
  address: text(1000),
  terms: z.boolean().optional(),
  tab: z.enum(['licenses', 'devices']).default('licenses'),
  assetQuery: text(200),
  selected: z.array(z.string().max(200)).max(2000).default([]),
  /** The references drawn with a toggle on the last asset page, in toggle order (`sel_0`, `sel_1` …). */
  shown: z.array(z.string().max(200)).max(100).default([]),
  /** The draft the bot keeps the answers in; with it, the card carries only how the dialog is drawn. */
  draft: z.string().max(100).optional(),
});

export type WizardState = z.output<typeof wizardStateSchema>;

export const GOS = ['next', 'back', 'search', 'counts', 'tab', 'submit'] as const;
export type Go = (typeof GOS)[number];

/** What one click in the dialog sends: the state it was drawn from, the button, and the inputs' values. */
export const wizardSubmitSchema = z
  .object({
    wizard: wizardStateSchema,
    go: z.enum(GOS).default('next'),
    tab: z.enum(['licenses', 'devices']).optional(),
  })
  .catchall(z.unknown());

export type WizardSubmit = z.output<typeof wizardSubmitSchema>;

export function emptyState(): WizardState {
  return wizardStateSchema.parse({});
}

/** What a one-line `new` already said, so the dialog opens with it filled in. */
export function stateFromPrefill(prefill: NewPrefill): WizardState {
  return wizardStateSchema.parse({
    source: prefill.source?.smartAccount,
    sourceVa: prefill.source?.virtualAccount,
    destination: prefill.destination?.smartAccount,
    destinationVa: prefill.destination?.virtualAccount,
    sameCompany: prefill.sameCompany === undefined ? undefined : prefill.sameCompany ? 'yes' : 'no',
    transferee: prefill.transferee,
    justification: prefill.justification,
    terms: prefill.termsAccepted,
    selected: (prefill.assets ?? []).map(formatAssetRef),
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);
const blankToUndefined = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** Folds the inputs of the step the click came from into the state. */
export function applyInputs(state: WizardState, inputs: Record<string, unknown>): WizardState {
  const next: WizardState = { ...state, selected: [...state.selected] };
  switch (state.step) {
    case 'source':
      if ('accountQuery' in inputs) next.accountQuery = blankToUndefined(str(inputs.accountQuery));
      if ('source' in inputs) {
        const source = blankToUndefined(str(inputs.source));
        // Another source invalidates what was picked inside the previous one.
        if (source !== state.source) Object.assign(next, { sourceVa: undefined, selected: [], shown: [] });
        next.source = source;
      }
      break;
    case 'destination': {
      if ('sourceVa' in inputs) {
        const va = blankToUndefined(str(inputs.sourceVa));
        next.sourceVa = va === '*' ? undefined : va;
      }
      const destination = blankToUndefined(str(inputs.destination));
      if (destination !== undefined) {
        const slash = destination.indexOf('/');
        next.destination = slash < 0 ? destination : destination.slice(0, slash);
        next.destinationVa = slash < 0 ? undefined : destination.slice(slash + 1);
      }
      break;
    }
    case 'company': {
      const answer = str(inputs.sameCompany);
      if (answer === 'yes' || answer === 'no') next.sameCompany = answer;
      break;
    }
    case 'form':
      for (const key of ['transferee', 'justification', 'legalName', 'address'] as const) {
        if (key in inputs) next[key] = blankToUndefined(str(inputs[key]));
      }
      if ('terms' in inputs) next.terms = inputs.terms === 'true' || inputs.terms === true;
      break;
    case 'assets': {
      if ('assetQuery' in inputs) next.assetQuery = blankToUndefined(str(inputs.assetQuery));
      const selected = new Set(next.selected);
      state.shown.forEach((ref, i) => {
        const v = inputs[`sel_${i}`];
        if (v === 'true' || v === true) selected.add(ref);
        else if (v === 'false' || v === false) selected.delete(ref);
      });
      next.selected = [...selected];
      break;
    }
    case 'review':
      break;
  }
  return next;
}

/** The answers as the core's request journey holds them, confirmed at the review. */
export function toJourney(state: WizardState): JourneyState {
  const journey: JourneyState = {
    source: {
      smartAccount: state.source ?? '',
      ...(state.sourceVa ? { virtualAccount: state.sourceVa } : {}),
    },
    destination: {
      smartAccount: state.destination ?? '',
      virtualAccount: state.destinationVa ?? DEFAULT_VIRTUAL_ACCOUNT,
    },
    sameCompany: state.sameCompany === 'yes',
    assets: { refs: state.selected, whole: [] },
    reviewed: true,
  };
  if (state.transferee) journey.transferee = state.transferee;
  if (state.justification) journey.justification = state.justification;
  if (state.terms === true) journey.termsAccepted = true;
  if (state.legalName) journey.transfereeLegalName = state.legalName;
  if (state.address) journey.transfereeAddress = state.address;
  return journey;
}

/** What a card carries once the answers are in a draft: the draft's id and how the dialog is drawn. */
export function cardState(state: WizardState): Partial<WizardState> {
  if (!state.draft) return state;
  const { step, accountQuery, showCounts, tab, shown, draft } = state;
  return { step, accountQuery, showCounts, tab, shown, draft };
}

/** The draft's answers under what the card said of the drawing. */
export function withAnswers(card: WizardState, journey: JourneyState): WizardState {
  return wizardStateSchema.parse({
    step: card.step,
    accountQuery: card.accountQuery,
    showCounts: card.showCounts,
    tab: card.tab,
    shown: card.shown,
    draft: card.draft,
    source: journey.source?.smartAccount,
    sourceVa: journey.source?.virtualAccount,
    destination: journey.destination?.smartAccount,
    destinationVa: journey.destination?.virtualAccount,
    sameCompany: journey.sameCompany === undefined ? undefined : journey.sameCompany ? 'yes' : 'no',
    transferee: journey.transferee,
    justification: journey.justification,
    legalName: journey.transfereeLegalName,
    address: journey.transfereeAddress,
    terms: journey.termsAccepted,
    assetQuery: journey.assetQuery,
    selected: journey.assets?.refs ?? [],
  });
}

/** The answers alone, as the draft keeps them (not yet confirmed). */
export function answersOf(state: WizardState): JourneyState {
  const journey: JourneyState = {};
  if (state.source)
    journey.source = {
      smartAccount: state.source,
      ...(state.sourceVa ? { virtualAccount: state.sourceVa } : {}),
    };
  if (state.destination)
    journey.destination = {
      smartAccount: state.destination,
      ...(state.destinationVa ? { virtualAccount: state.destinationVa } : {}),
    };
  if (state.sameCompany) journey.sameCompany = state.sameCompany === 'yes';
  if (state.selected.length > 0) journey.assets = { refs: state.selected, whole: [] };
  if (state.assetQuery) journey.assetQuery = state.assetQuery;
  if (state.transferee) journey.transferee = state.transferee;
  if (state.justification) journey.justification = state.justification;
  if (state.terms === true) journey.termsAccepted = true;
  if (state.legalName) journey.transfereeLegalName = state.legalName;
  if (state.address) journey.transfereeAddress = state.address;
  return journey;
}
