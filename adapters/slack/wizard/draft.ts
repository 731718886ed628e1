import { loadDraft, saveDraft, type Draft } from '../../../src/app/journey/drafts.js';
import type { JourneyState } from '../../../src/app/journey/journey.js';
import type { Actor } from '../../../src/domain/types.js';
import type { SlackContext } from '../context.js';
import { decodeMetadata, type WizardMetadata } from './state.js';

/** A wizard modal's draft and how the modal is drawn. */
export interface OpenWizard {
  draft: Draft;
  metadata: WizardMetadata;
}

/** The person's draft a modal names; undefined once expired or replaced. */
export async function loadWizard(
  ctx: SlackContext,
  actor: Actor,
  raw: string | undefined,
): Promise<OpenWizard | undefined> {
  const metadata = decodeMetadata(raw);
  const draft = metadata && (await loadDraft(ctx.deps, actor, metadata.d));
  return metadata && draft ? { draft, metadata } : undefined;
}

/** Writes the answers to the draft (compare-and-set; a lost race re-reads the draft and writes again). */
export async function persist(
  ctx: SlackContext,
  actor: Actor,
  draft: Draft,
  state: JourneyState,
): Promise<Draft> {
  const saved = await saveDraft(ctx.deps, draft, state);
  if (saved) return saved;
  const current = await loadDraft(ctx.deps, actor, draft.id);
  const again = current && (await saveDraft(ctx.deps, current, state));
  return again ?? { ...draft, state };
}
