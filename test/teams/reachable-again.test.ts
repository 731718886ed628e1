import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { executeActions } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { awaitingConsent, historyOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice, 'fr-FR');
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

/**
 * A transferee first seen in a team channel is linked there, and the consent card that waited for him is
 * offered; when his own chat cannot be opened, the card does not reach him, and it is offered again the
 * next time he can be reached — once, never twice.
 */
describe.each(surfaceDrivers)(
  'Teams: a card offered again after it could not reach its decider (%s)',
  (driver) => {
    const world = useTeamsWorld(driver, []);

    const drain = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
    const consentCards = () =>
      world.connector.cards(bob.chat).filter(({ card }) => executeActions(card).length > 0);
    const opening = (r: { method: string; path: string }) =>
      r.method === 'POST' && r.path === '/v3/conversations';

    it('offers the card again at his next contact when his chat could not be opened the first time', async () => {
      // Alice wrote to the bot: it knows where Teams is. Bob never did; the roster knows his e-mail.
      await world.teams.install(alice);
      world.connector.roster.set(bob.id, { id: bob.id, name: bob.name, email: bob.email });
      const id = await awaitingConsent(world.deps, 'SO:100-1');
      await drain();

      // Bob writes in a team channel: linked, his card is offered, and his chat cannot be opened yet.
      world.connector.failNext({ status: 403, match: opening });
      await world.teams.message(bob, 'help', { channel: '19:team-channel@thread.tacv2' });
      await drain();
      expect(world.connector.requests.filter((r) => opening(r) && r.refusedWith === 403)).toHaveLength(1);
      expect(consentCards()).toEqual([]);
      expect(await historyOf(world.database.db, id, 'delivery.reachable')).toHaveLength(1);

      // His next contact opens his chat (a command answered there): the card is offered again, and arrives.
      await world.teams.message(bob, 'list', { channel: '19:team-channel@thread.tacv2' });
      await drain();
      const cards = consentCards();
      expect(cards.map(({ card }) => executeActions(card).map((a) => a.verb))).toEqual([
        ['consent_approve', 'consent_reject'],
      ]);
      expect(executeActions(cards[0]!.card)[0]?.data.transactionId).toBe(id);
      expect(await historyOf(world.database.db, id, 'delivery.reachable')).toHaveLength(2);

      // Once delivered, never again: another first contact (a reinstall) sends nothing more.
      await world.teams.install(bob);
      await world.teams.message(bob, 'help');
      await drain();
      expect(consentCards()).toHaveLength(1);
    });
  },
);
