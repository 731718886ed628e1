import { loadDraft, saveDraft, type Draft } from '../../../src/app/journey/drafts.js';
import type { Actor } from '../../../src/domain/types.js';
import type { SlackContext } from '../context.js';
import { decodeMetadata, fromJourney, toJourney, type WizardState } from './state.js';

/** The person's draft a modal names, as its steps read it; undefined once expired or replaced. */
export async function loadWizard(
  ctx: SlackContext,
  actor: Actor,
  metadata: string | undefined,
): Promise<{ wizard: WizardState; draft: Draft } | undefined> {
  const meta = decodeMetadata(metadata);
  const draft = meta && (await loadDraft(ctx.deps, actor, meta.d));
  return meta && draft ? { wizard: fromJourney(draft.state, meta), draft } : undefined;
}

/** Writes the answers back to the draft (compare-and-set; a lost race re-reads the draft and writes again). */
export async function persist(
  ctx: SlackContext,
  actor: Actor,
  draft: Draft,
  wizard: WizardState,
): Promise<void> {
  const state = toJourney(wizard);
  if (await saveDraft(ctx.deps, draft, state)) return;
  const current = await loadDraft(ctx.deps, actor, draft.id);
  if (current) await saveDraft(ctx.deps, current, state);
}
