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
    updatedAt: now,
    expiresAt: lifetime(now),
  });
  return asDraft(row);
}

/** The person's own draft, while it has not expired; nobody else's. */
export async function loadDraft(deps: AppDeps, actor: Actor, id: string): Promise<Draft | undefined> {
  const row = await deps.store.drafts.load(id);
  if (!row || row.userId !== actor.userId || row.expiresAt <= deps.now()) return undefined;
  return asDraft(row);
}

/**
 * The draft a button or card names, while it is the person's and has not expired; else a new one: empty,
 * with `gone` to say the named one is no more, or holding `initial` (what a one-line `new` gave) when
 * none was named. Every surface resumes a journey through this.
 */
export async function resumeDraft(
  deps: AppDeps,
  actor: Actor,
  id: string | undefined,
  initial: JourneyState = {},
): Promise<{ draft: Draft; kept: boolean; gone?: Msg }> {
  const kept = id ? await loadDraft(deps, actor, id) : undefined;
  if (kept) return { draft: kept, kept: true };
  const draft = await startDraft(deps, actor, id ? {} : initial);
  return id ? { draft, kept: false, gone: msg('core:journey.error.draftGone') } : { draft, kept: false };
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

/** The scheduled jobs' sweep: drafts untouched for a day are removed. */
export function sweepDrafts(deps: AppDeps, now: Date): Promise<number> {
  return deps.store.drafts.sweep(now);
}
