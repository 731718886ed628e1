import { randomUUID } from 'node:crypto';
import type { AppDeps } from './deps.js';
import { offerWhatWaited } from './reachable.js';

/**
 * People who became compliance officers (`gained`) or are no longer (`lost`): a bot admin's grant or
 * revocation, or an inventory import. The copies of waiting screenings' cards posted to them are redrawn:
 * without buttons, saying why, for one no longer an officer; with them again for one who is once more
 * (see cardFor). One who became an officer also gets a card for each screening already waiting that
 * reached neither a compliance channel nor them (see offerWhatWaited: once each, one copy a person), as
 * the console's inbox shows it to them: Slack, Teams and the console agree on who is asked.
 */
export async function officersChanged(
  deps: AppDeps,
  gained: readonly number[],
  lost: readonly number[],
): Promise<void> {
  if (gained.length === 0 && lost.length === 0) return;
  const now = deps.now();
  await deps.store.transaction(async (repos) => {
    const posted = await repos.cards.screeningsPostedTo([...gained, ...lost]);
    await repos.outbox.enqueue(
      now,
      posted.map(({ transferId, userIds }) => ({
        // A change of roles is not replayed: each redraw is its own.
        dedupeKey: `${transferId}:officers:${randomUUID()}`,
        payload: { type: 'card_refresh', transferId, onlyFor: userIds },
      })),
    );
    for (const user of (await repos.users.findUsersByIds([...gained])).values())
      if (user.globalRoles.includes('compliance')) await offerWhatWaited(repos, user, now, 'officer');
  });
}
