import type { AppDeps } from '../../../src/app/deps.js';
import type { MarkChange } from '../../../src/app/failure.js';
import type { Reply } from '../../../src/app/dispatch.js';
import {
  closeDraft,
  loadDraft,
  resumeDraft,
  saveDraft,
  type Draft,
} from '../../../src/app/journey/drafts.js';
import { answerCompany } from '../../../src/app/journey/company.js';
import type { JourneyState, StepName } from '../../../src/app/journey/journey.js';
import {
  answerJourney,
  journeyScope,
  journeySteps,
  selectAllAnswer,
  submitJourney,
  viewJourney,
  type JourneyScope,
} from '../../../src/app/journey/service.js';
import type { Actor } from '../../../src/domain/types.js';
import { msg, type Msg } from '../../../src/i18n/index.js';
import type { AdaptiveCard } from '../render/card.js';
import type { Texts } from '../render/texts.js';
import { assetsCard, formCard, reviewCard } from './asset-cards.js';
import { destinationCard, personCard, sameCompanyCard, sourceCard, type Drawing } from './cards.js';
import {
  answerText,
  assetAnswer,
  cardOf,
  CARDS,
  type CardData,
  type CardName,
  type WizardSubmit,
} from './state.js';

/**
 * The request wizard in a Teams dialog. The core's journey decides every step (which comes next, what is
 * valid, whether the form or the transferor is asked); this draws the step it hands over on a card and
 * passes the card's answers back, in the journey's order. The answers live in the journey's draft.
 */

/** After a click in the dialog: the next card to show, or the request the core has taken. */
export type WizardOutcome =
  { kind: 'card'; card: AdaptiveCard } | { kind: 'requested'; reply: Reply & { kind: 'transfer' } };

const DRAW: Record<CardName, (drawing: Drawing) => AdaptiveCard> = {
  source: sourceCard,
  destination: destinationCard,
  sameCompany: sameCompanyCard,
  transferee: personCard,
  transferor: personCard,
  assets: assetsCard,
  form: formCard,
  review: reviewCard,
};

interface Show {
  at?: StepName | undefined;
  data?: Partial<CardData>;
  typed?: Record<string, unknown>;
  error?: Msg | undefined;
  details?: Msg[] | undefined;
}

/** Draws the step the journey is at (or `at`, a step it asked already), as the card that takes it. */
async function show(
  journey: JourneyScope,
  texts: Texts,
  draft: Draft,
  data: CardData,
  options: Show = {},
): Promise<AdaptiveCard> {
  const view = await viewJourney(journey, draft.state, options.error, options.at);
  // A journey whose review was confirmed is submitted at once; drawing its review again is the safe fallback.
  const step = view.step === 'done' ? 'review' : view.step;
  const drawn: CardData = { ...data, ...options.data, draft: draft.id, at: step, shown: [] };
  return DRAW[cardOf(step)]({
    texts,
    view: { ...view, step },
    data: drawn,
    typed: options.typed ?? {},
    details: options.details ?? [],
  });
}

/**
 * Opens the dialog at its first question: on the draft the button names (a file of references saved
 * one), else on a new draft with what the one-line `new` gave, if anything.
 */
export async function openDialog(
  deps: AppDeps,
  actor: Actor,
  texts: Texts,
  data: CardData,
): Promise<AdaptiveCard> {
  const { draft, error } = await draftOf(deps, actor, data);
  return show(journeyScope(deps, actor), texts, draft, { ...data, tab: 'licenses' }, { error });
}

/**
 * The draft a card names, while it is there; else a new one — empty, saying the old one is gone, or
 * holding what the entry card of a one-line `new` carries.
 */
async function draftOf(
  deps: AppDeps,
  actor: Actor,
  data: CardData,
): Promise<{ draft: Draft; kept: boolean; error?: Msg | undefined }> {
  const resumed = await resumeDraft(deps, actor, data.draft);
  return { draft: resumed.draft, kept: resumed.kept, error: resumed.gone };
}

/**
 * Where the dialog goes once `step` is answered: the journey's next step, or, when `step` was one the
 * person went back to, the step after it among those asked (going on through the answers already given).
 */
async function following(
  journey: JourneyScope,
  state: JourneyState,
  step: StepName,
  revisited: boolean,
): Promise<StepName | 'done'> {
  const { soFar, next } = await journeySteps(journey, state);
  const index = soFar.indexOf(step);
  return revisited && index >= 0 && index + 1 < soFar.length ? soFar[index + 1]! : next;
}

/** Back: the first step of the card before this one, among the steps the journey asked. */
async function previous(journey: JourneyScope, state: JourneyState, at: StepName): Promise<StepName> {
  const asked = (await journeySteps(journey, state)).soFar;
  const before = asked.slice(
    0,
    Math.max(
      0,
      asked.findIndex((step) => cardOf(step) === cardOf(at)),
    ),
  );
  const last = before.at(-1);
  if (last === undefined) return at;
  return before.find((step) => cardOf(step) === cardOf(last)) ?? last;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * One click in the dialog, from the submitted card's data and inputs; `changed` is told when Submit has
 * made the request (see `DispatchOptions`).
 */
export async function wizardClick(
  deps: AppDeps,
  actor: Actor,
  texts: Texts,
  submit: WizardSubmit,
  changed?: MarkChange,
): Promise<WizardOutcome> {
  const { wizard: data, go, tab, ...inputs } = submit;
  const card = (adaptive: AdaptiveCard): WizardOutcome => ({ kind: 'card', card: adaptive });
  // One reading of the inventory for the whole click, however many steps it answers and draws; an
  // account search typed on the card finds accounts past the first ones offered.
  const search = str(inputs['accountQuery'])?.trim() || data.accountQuery;
  const journey = journeyScope(deps, actor, search ? { search } : {});
  const found = await draftOf(deps, actor, data);
  if (!found.kept) return card(await show(journey, texts, found.draft, data, { error: found.error }));
  let draft = found.draft;
  const asked = (await journeySteps(journey, draft.state)).soFar;
  // A card drawn at a step the journey no longer asks (answered in another dialog) is drawn afresh.
  if (!data.at || !asked.includes(data.at)) return card(await show(journey, texts, draft, data));
  const at = data.at;
  const redraw = (options: Show = {}) => show(journey, texts, draft, data, { at, ...options });
  const save = async (state: JourneyState) => {
    draft = (await saveDraft(deps, draft, state)) ?? (await loadDraft(deps, actor, draft.id)) ?? draft;
  };

  switch (go) {
    case 'back':
      return card(await show(journey, texts, draft, data, { at: await previous(journey, draft.state, at) }));
    case 'counts':
      return card(await redraw({ data: { showCounts: true }, typed: inputs }));
    case 'tab': {
      // Each tab has its own search box: the other tab opens on all its assets.
      const assets = assetAnswer(data, inputs, draft.state);
      const cleared = await answerJourney(journey, draft.state, '?', at);
      await save(cleared.state);
      return card(await redraw({ data: { tab: tab ?? data.tab }, typed: { ...inputs, assets } }));
    }
    case 'search': {
      if (at !== 'assets')
        return card(
          await redraw({ data: { accountQuery: str(inputs['accountQuery'])?.trim() }, typed: inputs }),
        );
      // The journey keeps the asset search; `ALL` and `VA:NAME` are narrowed by it.
      const assets = assetAnswer(data, inputs, draft.state);
      const searched = await answerJourney(journey, draft.state, `?${str(inputs['assetQuery']) ?? ''}`, at);
      await save(searched.state);
      return card(await redraw({ typed: { ...inputs, assets }, error: searched.error }));
    }
    case 'next':
    case 'all':
    case 'submit':
      return advance(journey, { draft, data, at, go, inputs, save, redraw, changed });
    default: {
      const unreachable: never = go;
      return unreachable;
    }
  }
}

interface Advancing {
  draft: Draft;
  data: CardData;
  at: StepName;
  go: WizardSubmit['go'];
  inputs: Record<string, unknown>;
  save: (state: JourneyState) => Promise<void>;
  redraw: (options?: Show) => Promise<AdaptiveCard>;
  changed: MarkChange | undefined;
}

/**
 * Next, "Select all eligible" or Submit: passes the card's answers to the journey, one step after the
 * other while the card takes them; a wrong one redraws its step with the error and everything typed.
 */
async function advance(journey: JourneyScope, a: Advancing): Promise<WizardOutcome> {
  const card = (adaptive: AdaptiveCard): WizardOutcome => ({ kind: 'card', card: adaptive });
  let state = a.draft.state;
  const typed: Record<string, unknown> = { ...a.inputs };
  if (cardOf(a.at) === 'form') {
    const company = answerCompany(state, {
      legalName: str(a.inputs['legalName']),
      address: str(a.inputs['address']),
    });
    if (!company.ok) return card(await a.redraw({ typed, error: company.error }));
    state = company.state;
  }
  let step: StepName = a.at;
  for (;;) {
    let text: string | undefined;
    if (step === 'assets') {
      text = assetAnswer(a.data, a.inputs, state);
      // "Select all eligible" on a tab takes every eligible asset of that tab's kind.
      if (a.go === 'all') text = [text, selectAllAnswer(a.data.tab)].filter(Boolean).join(', ');
      typed['assets'] = text;
    } else if (step === 'review') {
      text = a.go === 'submit' ? answerText(step, a.inputs) : undefined;
    } else {
      text = answerText(step, a.inputs) ?? (step === a.at ? '' : undefined);
    }
    const revisited = (await journeySteps(journey, state)).next !== step;
    if (text !== undefined) {
      const advanced = await answerJourney(journey, state, text, step);
      if (advanced.error) {
        await a.save(state);
        return card(await a.redraw({ at: step, typed, error: advanced.error, details: advanced.details }));
      }
      state = advanced.state;
    } else if (!revisited) {
      // Asked now but not answered on this card (say, a Virtual Account the choice did not name).
      break;
    }
    const next = await following(journey, state, step, revisited);
    if (next === 'done') return submit(journey, a, state);
    if (!(CARDS[cardOf(a.at)] as readonly StepName[]).includes(next)) {
      await a.save(state);
      // The answered card's account search is done with: Back finds the answer, not that search.
      return card(await a.redraw({ at: next, data: { accountQuery: undefined } }));
    }
    step = next;
  }
  await a.save(state);
  return card(await a.redraw({ at: step, typed }));
}

/** The review confirmed: the core builds the request, or says why not on the review card. */
async function submit(journey: JourneyScope, a: Advancing, state: JourneyState): Promise<WizardOutcome> {
  const reply = await submitJourney(journey.deps, journey.actor, state, a.changed);
  if (reply.kind === 'transfer') {
    await closeDraft(journey.deps, a.draft, reply.view.id);
    return { kind: 'requested', reply };
  }
  const refusal = reply.kind === 'refused' ? reply.refusal : undefined;
  return {
    kind: 'card',
    card: await a.redraw({
      at: 'review',
      error: refusal?.message ?? msg('teams:error.badCard'),
      details: refusal?.details,
    }),
  };
}
