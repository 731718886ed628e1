import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/types.js';
import { msg, type Msg } from '../../domain/msg.js';
import type { AppDeps } from '../deps.js';
import type { StoredDraft } from '../ports/drafts.js';
import type { JourneyState } from './journey.js';

/** A draft lives a day after its last answer. */
export const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface Draft {
  id: string;
  version: number;
  state: JourneyState;
}

const asDraft = (row: StoredDraft): Draft => ({
  id: row.id,
  version: row.version,
  state: row.state,
});

const lifetime = (now: Date) => new Date(now.getTime() + DRAFT_LIFETIME_MS);

/** Starts the person's journey on their surface (an earlier draft there is replaced). */
export async function startDraft(deps: AppDeps, actor: Actor, state: JourneyState): Promise<Draft> {
  const now = deps.now();
  const row = await deps.store.drafts.start({
    id: randomUUID(),
    userId: actor.userId,
    surface: actor.surface,
    state: { ...state },
    createdAt: now,
    updatedAt: now,
    expiresAt: lifetime(now),
  });
  return asDraft(row);
}

/** The person's own draft, while it has not expired; nobody else's. */
export async function loadDraft(deps: AppDeps, actor: Actor, id: string): Promise<Draft | undefined> {
  const row = await deps.store.drafts.load(id);
  if (!row || row.userId !== actor.userId || row.expiresAt <= deps.now()) return undefined;
  // A draft whose request was sent answers no more steps: a second Submit for Review is told so.
  if (row.state.requested !== undefined) return undefined;
  return asDraft(row);
}

/**
 * Why the draft a button or form names (if it names one it could read) is no more: its request was sent
 * (naming the transaction), or it expired or was replaced by a newer one.
 */
export async function draftGoneMessage(deps: AppDeps, actor: Actor, id: string | undefined): Promise<Msg> {
  const row = id === undefined ? undefined : await deps.store.drafts.load(id);
  const requested =
    row && row.userId === actor.userId && typeof row.state.requested === 'string'
      ? row.state.requested
      : undefined;
  return requested !== undefined
    ? msg('core:journey.error.draftRequested', { id: requested })
    : msg('core:journey.error.draftGone');
}

/**
 * The draft a button or card names, while it is the person's and has not expired. When it is gone (sent,
 * expired, replaced), the person's request in progress on this surface, untouched, with `gone` to say the
 * named one is no more — a stale card or dialog never replaces a newer request — or, with none, a new
 * empty one. When none was named, a new one holding `initial` (what a one-line `new` gave). Every surface
 * resumes a journey through this.
 */
export async function resumeDraft(
  deps: AppDeps,
  actor: Actor,
  id: string | undefined,
  initial: JourneyState = {},
): Promise<{ draft: Draft; kept: boolean; gone?: Msg }> {
  const kept = id ? await loadDraft(deps, actor, id) : undefined;
  if (kept) return { draft: kept, kept: true };
  if (!id) return { draft: await startDraft(deps, actor, initial), kept: false };
  const gone = await draftGoneMessage(deps, actor, id);
  const current = await deps.store.drafts.current(actor.userId, actor.surface);
  const live = current && current.expiresAt > deps.now() && current.state.requested === undefined;
  return { draft: live ? asDraft(current) : await startDraft(deps, actor, {}), kept: false, gone };
}

/** Writes the next state if nobody changed the draft since it was read; undefined otherwise. */
export async function saveDraft(
  deps: AppDeps,
  draft: Draft,
  state: JourneyState,
): Promise<Draft | undefined> {
  const now = deps.now();
  const row = await deps.store.drafts.update(draft.id, draft.version, {
    state: { ...state },
    updatedAt: now,
    expiresAt: lifetime(now),
  });
  return row && asDraft(row);
}

export async function endDraft(deps: AppDeps, id: string): Promise<void> {
  await deps.store.drafts.remove(id);
}

/**
 * The draft's request was sent as this transaction: the draft answers no more steps, and keeps the id
 * until the sweep removes it, so a second Submit for Review (a double click) hears it was sent.
 */
export async function closeDraft(deps: AppDeps, draft: Draft, transactionId: string): Promise<void> {
  const now = deps.now();
  const closed = await deps.store.drafts.update(draft.id, draft.version, {
    state: { ...draft.state, requested: transactionId },
    updatedAt: now,
    expiresAt: lifetime(now),
  });
  if (!closed) await deps.store.drafts.remove(draft.id);
}

/** The scheduled jobs' sweep: drafts untouched for a day are removed. */
export function sweepDrafts(deps: AppDeps, now: Date): Promise<number> {
  return deps.store.drafts.sweep(now);
}
