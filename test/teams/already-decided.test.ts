import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../db/schema.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { executeActions, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
/** Carol and Cora read Teams in Japanese. */
const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol, 'ja-JP');
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora, 'ja-JP');
const olga = teamsUser('olga', 'Olga Ops', EMAILS.olga);

type Answer = { type: string; value: AdaptiveCardJson };

/** The texts of a card's body, top to bottom (each element's own text, nested ones after it). */
function bodyTexts(card: AdaptiveCardJson): string[] {
  const texts: string[] = [];
  const walk = (element: unknown) => {
    if (Array.isArray(element)) element.forEach(walk);
    else if (element && typeof element === 'object') {
      const { text, items, facts } = element as { text?: unknown; items?: unknown; facts?: unknown };
      if (typeof text === 'string') texts.push(text);
      walk(items);
      walk(facts);
    }
  };
  walk(card.body);
  return texts;
}

/**
 * A decision card clicked after someone else took the decision says so first, above the card as it now
 * stands, as Slack says it first (its message comes before the redrawn card) and as the Teams transfer
 * card says a moved-past reason first. It came last, under the items, the consents and the outcome.
 */
describe.each(surfaceDrivers)('Teams: a decision already taken by someone else (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice, bob, carol, cora, olga]);
  const deliver = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });

  it('a transferor’s consent card: “already decided” comes first, in Japanese', async () => {
    // Paul, a partner, asks; any admin of the source for its own company may consent as transferor.
    const id = await awaitingConsent(world.deps, 'SO:100-1', { requester: 'paul' });
    const data = { transactionId: id, decision: 'consent:transferor' };
    await world.teams.execute(alice, 'consent_approve', data);
    const late = (await world.teams.execute(carol, 'consent_approve', data)).body as Answer;
    expect(late.type).toBe('application/vnd.microsoft.card.adaptive');
    const texts = bodyTexts(late.value);
    expect(texts[0]).toMatch(
      new RegExp(`^トランザクション ${id} は対応済みです（.+ に Alice Martin さんが承認）。$`),
    );
    expect(texts[1]).toContain(`トランザクション ${id}`);
    expect(texts.filter((text) => text.includes('対応済み'))).toHaveLength(1);
    expect(executeActions(late.value)).toEqual([]);
  });

  it('a compliance card: “already decided” comes first, in Japanese', async () => {
    await world.database.db
      .update(users)
      .set({ globalRoles: ['licensing_ops', 'compliance'] })
      .where(eq(users.email, EMAILS.olga));
    const id = await awaitingConsent(world.deps, 'SO:100-2');
    await world.teams.execute(bob, 'consent_approve', { transactionId: id, decision: 'consent:transferee' });
    await deliver();
    const data = { transactionId: id, decision: 'compliance' };
    await world.teams.execute(olga, 'compliance_approve', data);
    const late = (await world.teams.execute(cora, 'compliance_approve', data)).body as Answer;
    expect(late.type).toBe('application/vnd.microsoft.card.adaptive');
    const texts = bodyTexts(late.value);
    expect(texts[0]).toMatch(
      new RegExp(`^トランザクション ${id} は対応済みです（.+ に Olga Ops さんが承認）。$`),
    );
    expect(texts[1]).toBe(`コンプライアンス審査：トランザクション ${id}`);
    expect(texts.filter((text) => text.includes('対応済み'))).toHaveLength(1);
    expect(executeActions(late.value)).toEqual([]);
  });
});
