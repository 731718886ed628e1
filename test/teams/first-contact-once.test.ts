import { describe, expect, it } from 'vitest';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { executeActions } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsClient, teamsUser, useTeamsWorld, type TeamsUser } from '../support/teams.js';
import { awaitingConsent, statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice, 'fr-FR');
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);

/**
 * No compliance conversation: the screening card goes to each compliance officer. Cora has a Teams id and
 * no chat yet: the card's delivery opens her chat, which makes her reachable, which offers her the cards
 * that waited for her — among them the one being delivered. She gets it once, even when another worker
 * takes that offer while the first copy is still on its way.
 */
describe.each(surfaceDrivers)('Teams: a card whose delivery first reaches its decider (%s)', (driver) => {
  const w = useTeamsWorld(driver, [], { env: { TEAMS_COMPLIANCE_CONVERSATION_ID: '' } });

  const drain = (senders: PlatformSender[] = [w.bot.adapter.sender]) => drainOutbox(w.deps, { senders });

  /** The screening cards posted into a person's chat, as the transfer id each is about. */
  const screeningCards = (user: TeamsUser) =>
    w.connector
      .cards(user.chat)
      .filter(({ card }) => executeActions(card).some((a) => a.verb === 'compliance_approve'))
      .map(({ card }) => String(executeActions(card)[0]?.data.transactionId));

  it('posts the screening card to the officer once, though her first contact offered it too', async () => {
    const teams = teamsClient(w.bot, w.connector);
    await teams.install(alice);
    w.connector.roster.set(bob.id, { id: bob.id, name: bob.name, email: bob.email });
    const coraRow = (await w.deps.store.users.findUser({ email: EMAILS.cora }))!;
    await w.deps.store.users.linkIdentity(coraRow.id, 'teams', cora.id);
    const id = await awaitingConsent(w.deps, 'SO:100-1');
    await drain();
    await teams.message(bob, `consent ${id} approve`);
    expect(await statusOf(w.database.db, id)).toBe('compliance_screening');

    // Another worker (another lane, another instance) takes whatever is due while Cora's copy is on its way.
    let other: Promise<unknown> | undefined;
    const sender = w.bot.adapter.sender;
    const racing: PlatformSender = {
      ...sender,
      async sendCard(to, card) {
        if (to.id === cora.id && !other) {
          other = drain();
          await other;
        }
        return sender.sendCard(to, card);
      },
    };
    await drain([racing]);
    expect(other).toBeDefined();
    // Whatever was put off meanwhile comes due and is looked at again.
    for (let i = 0; i < 3; i++) {
      w.deps.advance(60_000);
      await drain();
    }
    expect(screeningCards(cora)).toEqual([id]);
    const openings = w.connector.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v3/conversations',
    );
    expect(openings.filter((r) => JSON.stringify(r.body).includes(cora.id))).toHaveLength(1);

    // A later first contact (a reinstall) sends nothing more.
    await teams.install(cora);
    await drain();
    expect(screeningCards(cora)).toEqual([id]);
  });
});
