import { decideConsentLost } from '../domain/decide.js';
import { transferorCandidates } from '../domain/permissions.js';
import type { Actor } from '../domain/types.js';
import { act } from './actions.js';
import type { AppDeps } from './deps.js';

/**
 * After the inventory changed, or a bot admin took an admin role away (`takenAway`: the bot admin and the
 * person): each transfer awaiting a consent that nobody asked can give any more (see decideConsentLost)
 * is cancelled, everyone told as for any cancellation. One that waited on the person whose role was taken
 * away is on record as cancelled by the bot admin, saying so; any other, by the system. Returns their ids.
 */
export async function cancelConsentsLost(
  deps: AppDeps,
  takenAway: { by: Actor; userId: number } | null = null,
): Promise<string[]> {
  const cancelled: string[] = [];
  for (const id of await deps.store.transfers.awaitingConsentFromTheIneligible()) {
    const result = await act(deps, null, id, 'consent.lost', async (repos, state) => {
      const [source, destinationAdmins, sourceAdmins] = await Promise.all([
        repos.accounts.smartAccountsByIds([state.sourceSmartAccountId]),
        repos.users.adminsOf(state.destinationSmartAccountId),
        repos.users.adminsOf(state.sourceSmartAccountId),
      ]);
      const sourceAccount = source.get(state.sourceSmartAccountId);
      const may = {
        transferee: new Set(destinationAdmins.map((u) => u.id)),
        transferor: new Set(
          sourceAccount
            ? transferorCandidates(state.requesterId, sourceAccount, sourceAdmins).map((u) => u.id)
            : [],
        ),
      };
      const asked = await repos.users.findUsersByIds(state.consents.map((c) => c.userId));
      const outcome = decideConsentLost(
        state,
        (c) => may[c.role].has(c.userId),
        (userId) => asked.get(userId)?.name ?? String(userId),
        takenAway && { userId: takenAway.userId, by: takenAway.by.name },
      );
      const byRoleChange = outcome.ok && outcome.decision.byRoleChange === true;
      return { outcome, ...(byRoleChange && takenAway ? { by: takenAway.by } : {}) };
    });
    if (result.ok) cancelled.push(id);
  }
  return cancelled;
}
