import { deciders, type CardDecision } from '../../src/app/cards.js';
import type { AppDeps } from '../../src/app/deps.js';

/**
 * The Teams ids of the people a decision card is for: the consenter, or every compliance officer.
 * Teams refreshes the card for them (up to 60) whenever they open it, so they never act on a stale one.
 */
export async function deciderTeamsIds(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<string[]> {
  const people = await deciders(deps, transferId, decision);
  return people.flatMap((person) => person.identities.teams ?? []).slice(0, 60);
}
