import type { NewPrefill } from '../../commands/command.js';
import type { Actor } from '../../domain/types.js';
import { keyParam, msg, type Msg } from '../../domain/msg.js';
import type { AppDeps } from '../deps.js';
import type { Result } from '../run.js';
import { draftGoneMessage, endDraft, loadDraft, resumeDraft, startDraft, type Draft } from './drafts.js';
import type { JourneyState, WholeSelection } from './journey.js';
import { openingJourney } from './opening.js';

/**
 * A request the person started and left: `new` alone offers it again (Continue, or Start over) instead
 * of replacing it unsaid; `new` with options replaces it and says so.
 */
export interface DraftOffer {
  draftId: string;
  /** "You have a request in progress, started … (source → destination, N assets chosen)". */
  message: Msg;
}

/** What a journey keeps that the person answered (a search or a file's notes alone are no answer). */
const ANSWERS = [
  'source',
  'destination',
  'sameCompany',
  'transferee',
  'transferor',
  'assets',
  'justification',
  'transfereeLegalName',
  'transfereeAddress',
  'termsAccepted',
  'reviewed',
] as const satisfies readonly (keyof JourneyState)[];

/** Whether the journey holds at least one answer, and so is worth offering again. */
export function hasAnswers(state: JourneyState): boolean {
  return ANSWERS.some((key) => state[key] !== undefined);
}

const accountText = (account: JourneyState['source']) =>
  account === undefined
    ? undefined
    : account.virtualAccount === undefined
      ? account.smartAccount
      : `${account.smartAccount}/${account.virtualAccount}`;

/** The offer's sentence: when the draft was started, and how far it got (route, assets chosen). */
export function offerMessage(startedAt: Date, state: JourneyState): Msg {
  const at = startedAt.toISOString();
  const source = accountText(state.source);
  const destination = accountText(state.destination);
  const route = source === undefined ? undefined : `${source} → ${destination ?? '…'}`;
  const count = state.assets?.refs.length ?? 0;
  const whole = state.assets?.whole ?? [];
  if (count === 0 && whole.length === 0)
    return route === undefined
      ? msg('core:journey.inProgress.offer', { at })
      : msg('core:journey.inProgress.offerRoute', { at, route });
  const base = whole.length === 0 ? 'offerAssets' : count === 0 ? 'offerWhole' : 'offerAssetsWhole';
  const params = { at, route: route ?? '…', count, ...wholeWords(whole) };
  return msg(`core:journey.inProgress.${base}`, params);
}

/**
 * Whole selections in the reader's words, as the offer names them: one as what it takes ("All eligible
 * licenses", "Every eligible device of Virtual Account Lab"), several by their number.
 */
function wholeWords(whole: readonly WholeSelection[]): Record<string, string | number> {
  const [only] = whole;
  if (only === undefined || whole.length > 1)
    return { wholeKey: keyParam('common:whole.several'), wholeCount: whole.length };
  const kind = only.kind === 'licenses' ? 'Licenses' : only.kind === 'devices' ? 'Devices' : '';
  return only.virtualAccount === undefined
    ? { wholeKey: keyParam(`common:whole.all${kind}`) }
    : { wholeKey: keyParam(`common:whole.virtualAccount${kind}`), name: only.virtualAccount };
}

/** The person's draft on this surface while it can be continued and holds an answer; else nothing. */
export async function draftInProgress(deps: AppDeps, actor: Actor): Promise<DraftOffer | undefined> {
  const row = await deps.store.drafts.current(actor.userId, actor.surface);
  if (!row || row.expiresAt <= deps.now() || row.state.requested !== undefined) return undefined;
  if (!hasAnswers(row.state)) return undefined;
  return { draftId: row.id, message: offerMessage(row.createdAt, row.state) };
}

/** What a `new` opens: the offer of the draft in progress, or a journey (saying whether it replaces one). */
export type RequestOpening =
  { kind: 'offer'; offer: DraftOffer } | { kind: 'journey'; state: JourneyState; replaces: boolean };

const givesNothing = (prefill: NewPrefill) => Object.values(prefill).every((value) => value === undefined);

/**
 * How `new` opens on every surface: alone, on the offer of the person's draft in progress when there is
 * one; with options, on a journey holding them, which replaces that draft (`replaces`, to be said).
 */
export async function requestOpening(
  deps: AppDeps,
  actor: Actor,
  prefill: NewPrefill,
): Promise<Result<RequestOpening>> {
  const opening = await openingJourney(deps, actor, prefill);
  if (!opening.ok) return opening;
  const inProgress = await draftInProgress(deps, actor);
  if (inProgress && givesNothing(prefill)) return { ok: true, value: { kind: 'offer', offer: inProgress } };
  return { ok: true, value: { kind: 'journey', state: opening.value, replaces: inProgress !== undefined } };
}

/**
 * What a "Request Asset Transfer" button opens: the draft it names while it is there. When it names none,
 * or one that is gone (sent, expired, replaced), and the person has another in progress on this surface,
 * the offer of that one (with why the named one is gone), so an old button never silently replaces a newer
 * request; else a new journey, saying why the named draft is gone.
 */
export type ButtonOpening =
  { kind: 'offer'; offer: DraftOffer; gone?: Msg } | { kind: 'draft'; draft: Draft; gone?: Msg };

export async function buttonOpening(
  deps: AppDeps,
  actor: Actor,
  draftId: string | undefined,
): Promise<ButtonOpening> {
  const named = draftId === undefined ? undefined : await loadDraft(deps, actor, draftId);
  if (named) return { kind: 'draft', draft: named };
  const inProgress = await draftInProgress(deps, actor);
  if (inProgress) {
    if (draftId === undefined) return { kind: 'offer', offer: inProgress };
    return { kind: 'offer', offer: inProgress, gone: await draftGoneMessage(deps, actor, draftId) };
  }
  const resumed = await resumeDraft(deps, actor, draftId);
  return resumed.gone
    ? { kind: 'draft', draft: resumed.draft, gone: resumed.gone }
    : { kind: 'draft', draft: resumed.draft };
}

/** Said with a wizard a `new` with options opened over a draft in progress. */
export const REPLACED_MESSAGE: Msg = msg('core:journey.inProgress.replaced');

export type DraftChoice = 'continue' | 'startOver';

/**
 * The offer's answer, checked against the database: the draft must still be there and the person's own.
 * Continue opens on it, every answer kept; Start over discards it for an empty one. A stale choice
 * changes nothing and says why the draft is gone.
 */
export async function chooseDraft(
  deps: AppDeps,
  actor: Actor,
  draftId: string,
  choice: DraftChoice,
): Promise<{ ok: true; draft: Draft } | { ok: false; gone: Msg }> {
  const draft = await loadDraft(deps, actor, draftId);
  if (!draft) return { ok: false, gone: await draftGoneMessage(deps, actor, draftId) };
  if (choice === 'continue') return { ok: true, draft };
  await endDraft(deps, draft.id);
  return { ok: true, draft: await startDraft(deps, actor, {}) };
}
