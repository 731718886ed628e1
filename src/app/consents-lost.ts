import { decideAnswerers } from '../domain/answerers.js';
import type { Actor } from '../domain/types.js';
import { act } from './actions.js';
import { IMPORT_ACTOR } from './history-text.js';
import type { AppDeps } from './deps.js';

/** What changed people's roles: a bot admin's grant or revocation of this person's role, or an inventory import. */
export type RolesChange = { by: Actor; userId: number } | { imported: true };

/** A transfer tells at most this many steps at once: a cancellation, or who can no longer answer and who can again. */
const MAX_STEPS = 4;

/**
 * After people's roles changed (an inventory import, or a bot admin's change of an admin role): each
 * transfer awaiting a consent whose askers' roles changed since its history last spoke of them is settled,
 * a step at a time (see decideAnswerers). One that nobody asked can give a consent for any more is
 * cancelled, everyone told as for any cancellation; else its history says who can no longer answer (or can
 * again), and their cards are redrawn. A step about the person the bot admin's change named is on record
 * as theirs, saying so; who can no longer answer (or can again) after an import, as the import's; any other
 * step, the system's. Returns the ids of the transfers cancelled.
 */
export async function settleAnswerers(deps: AppDeps, change: RolesChange | null = null): Promise<string[]> {
  const cancelled: string[] = [];
  const byAdmin = change && 'by' in change ? change : null;
  const changed = byAdmin && { userId: byAdmin.userId, by: byAdmin.by.name };
  const imported = change !== null && 'imported' in change;
  for (const id of await deps.store.transfers.awaitingConsentAnswerersChanged()) {
    for (let step = 0; step < MAX_STEPS; step += 1) {
      const result = await act(deps, null, id, 'consent.lost', async (repos, state) => {
        const asked = await repos.users.findUsersByIds(state.consents.map((c) => c.userId));
        const nameOf = (userId: number) => asked.get(userId)?.name ?? String(userId);
        const outcome = decideAnswerers(state, nameOf, { changed, imported });
        const theirs = outcome.ok && outcome.decision.byRoleChange === true;
        if (theirs && byAdmin) return { outcome, by: byAdmin.by };
        // Who can no longer answer, or can again, since an import: the import's doing, as the role it changed.
        const told = outcome.ok && outcome.decision.answerers !== undefined;
        return imported && told
          ? { outcome, recordedAs: { actor: IMPORT_ACTOR, surface: 'cli' } }
          : { outcome };
      });
      // Nothing more to tell (or the transfer moved on meanwhile), or it is over.
      if (!result.ok) break;
      if (result.value.state.status === 'cancelled') {
        cancelled.push(id);
        break;
      }
    }
  }
  return cancelled;
}
