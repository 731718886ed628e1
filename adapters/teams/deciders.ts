import { and, isNotNull, sql } from 'drizzle-orm';
import type { Q } from '../../db/client.js';
import { users } from '../../db/schema.js';
import type { CardDecision } from '../../src/app/cards.js';
import { consentUserId, findUser } from '../../src/app/cards.js';

/**
 * The Teams ids of the people a decision card is for: the consenter, or every compliance officer.
 * Teams refreshes the card for them (up to 60) whenever they open it, so they never act on a stale one.
 */
export async function deciderTeamsIds(q: Q, transferId: string, decision: CardDecision): Promise<string[]> {
  if (decision === 'compliance') {
    const rows = await q
      .select({ teamsUserId: users.teamsUserId })
      .from(users)
      .where(and(isNotNull(users.teamsUserId), sql`'compliance' = any(${users.globalRoles})`))
      .orderBy(users.id)
      .limit(60);
    return rows.map((r) => r.teamsUserId).filter((id): id is string => id !== null);
  }
  const userId = await consentUserId(q, transferId, decision);
  if (userId === null) return [];
  const user = await findUser(q, { id: userId });
  return user?.teamsUserId ? [user.teamsUserId] : [];
}
