import type { Q } from '../../db/client.js';
import { deciders, type CardDecision } from '../../src/app/cards.js';

/**
 * The Teams ids of the people a decision card is for: the consenter, or every compliance officer.
 * Teams refreshes the card for them (up to 60) whenever they open it, so they never act on a stale one.
 */
export async function deciderTeamsIds(q: Q, transferId: string, decision: CardDecision): Promise<string[]> {
  const people = await deciders(q, transferId, decision);
  return people
    .map((u) => u.teamsUserId)
    .filter((id): id is string => id !== null)
    .slice(0, 60);
}
