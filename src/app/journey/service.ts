import type { AssetRef, AssetTab } from '../../commands/asset-ref.js';
import type { MarkChange } from '../failure.js';
import type { Actor } from '../../domain/types.js';
import { msg, type Msg } from '../../domain/msg.js';
import type { AppDeps } from '../deps.js';
import { request, type Reply } from '../dispatch.js';
import { listTypedAssets, type AssetList } from '../asset-list.js';
import { transfereeCompany } from '../request-form.js';
import { type RequestInput } from '../request.js';
import { expandAssets, type Expansion } from '../selection.js';
export { ASSET_PAGE, LEFT_OUT_SHOWN, MAX_SELECTED, type ReviewSummary } from '../selection.js';
import { ASSET_PAGE, LEFT_OUT_SHOWN, MAX_SELECTED, type ReviewSummary } from '../selection.js';
import { formatWholeSelection, selectionOf } from './asset-answer.js';
import { ACCOUNT_STEPS, type JourneyScope } from './scope.js';
export { journeyScope, type JourneyScope } from './scope.js';
import { fold } from './choices.js';
import { answerStep } from './answer-step.js';
import {
  canAnswer,
  nextStep,
  sameCompanyNote,
  stepsAsked,
  stepsSoFar,
  type AccountChoice,
  type JourneyFacts,
  type JourneyState,
  type Person,
  type StepName,
} from './journey.js';

/** The step a surface draws: its name, what to choose from, and what was wrong with the last answer. */
export interface JourneyView {
  step: StepName | 'done';
  /** The steps this journey asks given the answers so far, in order (a surface may group them). */
  asked: StepName[];
  /** The steps asked so far, in order (see `stepsSoFar`): where a Back button may go. */
  soFar: StepName[];
  state: JourneyState;
  error?: Msg;
  /**
   * On the request form's steps: what the inventory says against the same-company answer (see
   * `sameCompanyNote`), so the form says why it is asked.
   */
  note?: Msg;
  /** The journey cannot go on (no account to choose from): the surface says so and ends it. */
  blocked?: Msg;
  /** Source and destination steps: the accounts to choose from; the source is marked on the destination step. */
  accounts?: (AccountChoice & { isSource: boolean })[];
  /** Transferee and transferor steps. */
  people?: Person[];
  /** The request form's prefill: the transferee company as the inventory knows it. */
  company?: { legalName: string | null; address: string | null };
  /**
   * Asset step: the current search, and how many eligible assets of each kind "Select all eligible" takes
   * on that kind's tab (`selectAllAnswer`).
   */
  assets?: { licenses: AssetList; devices: AssetList; eligible: Record<AssetTab, number> };
  review?: ReviewSummary;
  /**
   * Review step: the transferee and the named transferor as the inventory knows them (name and e-mail),
   * when the answers name someone it still lists among the admins offered.
   */
  named?: { transferee?: Person; transferor?: Person };
}

/** Where the journey stands: the step it asks next, the steps it asks, and those asked so far. */
export interface JourneySteps {
  next: StepName | 'done';
  asked: StepName[];
  soFar: StepName[];
}

export async function journeySteps(journey: JourneyScope, state: JourneyState): Promise<JourneySteps> {
  return stepsOf(state, await journey.facts(state));
}

const stepsOf = (state: JourneyState, facts: JourneyFacts): JourneySteps => ({
  next: nextStep(state, facts),
  asked: stepsAsked(state, facts),
  soFar: stepsSoFar(state, facts),
});

/** The selection as concrete references, checked against the inventory; see `expandAssets`. */
function expandSelection(deps: AppDeps, actor: Actor, state: JourneyState): Promise<Expansion> {
  return expandAssets(deps, actor, requestInput(state, []), selectionOf(state));
}

/** The journey's answers as the request the core checks and records. */
export function requestInput(state: JourneyState, assets: AssetRef[]): RequestInput {
  const input: RequestInput = {
    source: state.source!,
    destination: {
      smartAccount: state.destination!.smartAccount,
      virtualAccount: state.destination!.virtualAccount!,
    },
    assets,
    sameCompany: state.sameCompany ?? false,
  };
  if (state.transferee) input.transferee = state.transferee;
  if (state.transferor) input.transferor = state.transferor;
  if (state.justification) input.justification = state.justification;
  if (state.termsAccepted) input.termsAccepted = true;
  if (state.transfereeLegalName) input.transfereeLegalName = state.transfereeLegalName;
  if (state.transfereeAddress) input.transfereeAddress = state.transfereeAddress;
  return input;
}

/** The request form's steps: those a contradicted same-company answer leads to. */
const FORM_STEPS = new Set<StepName | 'done'>(['transferee', 'transferor', 'justification', 'terms']);

/**
 * The step to draw now, with what it offers: the next one, or `at`, another step this journey asks (one
 * the person went back to, whose answer is in `state`, or one drawn together with the next).
 */
export async function viewJourney(
  journey: JourneyScope,
  state: JourneyState,
  error?: Msg,
  at?: StepName,
): Promise<JourneyView> {
  const { deps, actor } = journey;
  const facts = await journey.facts(state);
  const { next, asked, soFar } = stepsOf(state, facts);
  const step = at !== undefined && asked.includes(at) ? at : next;
  const view: JourneyView = {
    step,
    asked,
    soFar,
    state,
    ...(error ? { error } : {}),
  };
  const note = FORM_STEPS.has(step) ? sameCompanyNote(state, facts) : undefined;
  if (note) view.note = note;
  const sourceDomain = fold(state.source?.smartAccount ?? '');
  switch (step) {
    case 'source':
      view.accounts = facts.accounts.map((a) => ({ ...a, isSource: false }));
      if (view.accounts.length === 0) view.blocked = msg('core:journey.error.noSource');
      break;
    case 'destination':
    case 'destinationVirtualAccount':
      view.accounts = facts.accounts.map((a) => ({ ...a, isSource: fold(a.domain) === sourceDomain }));
      if (!view.accounts.some((a) => !a.isSource)) view.blocked = msg('core:journey.error.noDestination');
      break;
    case 'transferee':
      view.people = facts.transfereeCandidates;
      break;
    case 'transferor':
      view.people = facts.transferorCandidates;
      break;
    case 'assets': {
      const [licenses, devices] = await Promise.all(
        (['licenses', 'devices'] as const).map((tab) =>
          listTypedAssets(deps, actor, state.source!, tab, state.assetQuery, ASSET_PAGE),
        ),
      );
      if (licenses?.ok && devices?.ok) {
        const eligible = await countEligible(deps, actor, state);
        view.assets = { licenses: licenses.value, devices: devices.value, eligible };
      }
      break;
    }
    case 'justification':
    case 'terms':
      view.company = await transfereeCompany(deps, state.destination?.smartAccount);
      break;
    case 'review': {
      const expanded = await expandSelection(deps, actor, state);
      if (expanded.ok) view.review = withFileLeftOut(expanded.expanded.review, state.fileLeftOut);
      view.named = namedPeople(state, facts);
      // What the request records for the transferee company when the form left it as the inventory has it.
      if (asked.includes('justification'))
        view.company = await transfereeCompany(deps, state.destination?.smartAccount);
      break;
    }
    case 'sameCompany':
    case 'done':
      break;
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
  return view;
}

/** The people the answers name, found among those the journey offered for each role. */
function namedPeople(state: JourneyState, facts: JourneyFacts): NonNullable<JourneyView['named']> {
  const find = (people: Person[], email: string | null | undefined) =>
    email ? people.find((p) => fold(p.email) === fold(email)) : undefined;
  const transferee = find(facts.transfereeCandidates, state.transferee);
  const transferor = find(facts.transferorCandidates, state.transferor);
  return { ...(transferee ? { transferee } : {}), ...(transferor ? { transferor } : {}) };
}

/** The review with what a file of references left out of the selection named first. */
function withFileLeftOut(review: ReviewSummary, file: JourneyState['fileLeftOut']): ReviewSummary {
  if (!file) return review;
  return {
    ...review,
    leftOut: [...file.shown, ...review.leftOut].slice(0, LEFT_OUT_SHOWN),
    leftOutTotal: review.leftOutTotal + file.total,
  };
}

/** "Select all eligible (N)" on each tab: how many eligible assets of that kind the current search finds. */
async function countEligible(
  deps: AppDeps,
  actor: Actor,
  state: JourneyState,
): Promise<Record<AssetTab, number>> {
  const n = { licenses: 0, devices: 0 };
  for (const tab of ['licenses', 'devices'] as const) {
    const list = await listTypedAssets(deps, actor, state.source!, tab, state.assetQuery, MAX_SELECTED);
    if (list.ok) n[tab] = list.value.rows.filter((r) => r.eligibility.eligible).length;
  }
  return n;
}

/** What "Select all eligible" on a tab adds to the asset answer: every eligible asset of that kind. */
export function selectAllAnswer(tab: AssetTab): string {
  return formatWholeSelection({ kind: tab });
}

export interface Advanced {
  state: JourneyState;
  error?: Msg;
  /** The problems behind the error, one per asset (a reference not found, an asset that cannot move). */
  details?: Msg[];
  /** What the person must know of the answer just taken (an answer the inventory contradicts). */
  note?: Msg;
}

/**
 * Takes the answer to the step the journey is at, or, with `at`, to a step that may be answered now
 * (see `canAnswer`; any other step leaves the state as it was). A wrong answer leaves the state as it
 * was and says why; the asset step also checks the selection against the inventory.
 */
export async function answerJourney(
  journey: JourneyScope,
  state: JourneyState,
  text: string,
  at?: StepName,
): Promise<Advanced> {
  const { deps, actor } = journey;
  const asked = await journey.facts(state);
  if (at !== undefined && !canAnswer(state, at, asked)) return { state };
  const step = at ?? nextStep(state, asked);
  if (step === 'done') return { state };
  // An account is read among those the text finds too, not only among the first ones offered.
  const facts = ACCOUNT_STEPS.includes(step) ? await journey.facts(state, text) : asked;
  const answered = answerStep(state, step, text, facts);
  if (!answered.ok) return { state, error: answered.error };
  if (step === 'assets' && answered.state.assets) {
    const expanded = await expandSelection(deps, actor, answered.state);
    if (!expanded.ok) {
      // Nothing is created at this step: the request goes on once the selection is changed.
      const error =
        expanded.error.key === 'core:refusal.assetProblems'
          ? msg('core:journey.error.assetProblems', expanded.error.params)
          : expanded.error;
      return { state, error, details: expanded.details };
    }
  }
  return { state: answered.state, ...(answered.note ? { note: answered.note } : {}) };
}

/** The end of every journey: the same core function the one-line `new` ends in. */
export async function submitJourney(
  deps: AppDeps,
  actor: Actor,
  state: JourneyState,
  changed?: MarkChange,
): Promise<Reply> {
  const expanded = await expandSelection(deps, actor, state);
  if (!expanded.ok)
    return {
      kind: 'refused',
      refusal: {
        code: 'invalid',
        message: expanded.error,
        ...(expanded.details.length > 0 ? { details: expanded.details } : {}),
      },
    };
  return request(deps, actor, requestInput(state, expanded.expanded.refs), changed);
}
