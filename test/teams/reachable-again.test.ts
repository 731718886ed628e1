import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { executeActions, startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { createTestDatabase, surfaceDrivers, type TestDatabase } from '../support/db.js';
import { startBot, teamsClient, teamsUser, type RunningBot } from '../support/teams.js';
import { awaitingConsent, historyOf } from '../support/transfers.js';
import { EMAILS, seedWorld, testDeps } from '../support/world.js';

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
    let database: TestDatabase;
    let deps: ReturnType<typeof testDeps>;
    let connector: BotConnector;
    let bot: RunningBot;

    beforeAll(async () => {
      database = await createTestDatabase(driver);
      await seedWorld(database.db);
      deps = testDeps(database.db);
      connector = await startBotConnector();
      bot = await startBot(deps);
    });
    afterAll(async () => {
      await bot?.close();
      await connector?.close();
      await database?.dispose();
    });

    const drain = () => drainOutbox(deps, { senders: [bot.adapter.sender] });
    const consentCards = () =>
      connector.cards(bob.chat).filter(({ card }) => executeActions(card).length > 0);
    const opening = (r: { method: string; path: string }) =>
      r.method === 'POST' && r.path === '/v3/conversations';

    it('offers the card again at his next contact when his chat could not be opened the first time', async () => {
      const teams = teamsClient(bot, connector);
      // Alice wrote to the bot: it knows where Teams is. Bob never did; the roster knows his e-mail.
      await teams.install(alice);
      connector.roster.set(bob.id, { id: bob.id, name: bob.name, email: bob.email });
      const id = await awaitingConsent(deps, 'SO:100-1');
      await drain();

      // Bob writes in a team channel: linked, his card is offered, and his chat cannot be opened yet.
      connector.failNext({ status: 403, match: opening });
      await teams.message(bob, 'help', { channel: '19:team-channel@thread.tacv2' });
      await drain();
      expect(connector.requests.filter((r) => opening(r) && r.refusedWith === 403)).toHaveLength(1);
      expect(consentCards()).toEqual([]);
      expect(await historyOf(database.db, id, 'delivery.reachable')).toHaveLength(1);

      // His next contact opens his chat (a command answered there): the card is offered again, and arrives.
      await teams.message(bob, 'list', { channel: '19:team-channel@thread.tacv2' });
      await drain();
      const cards = consentCards();
      expect(cards.map(({ card }) => executeActions(card).map((a) => a.verb))).toEqual([
        ['consent_approve', 'consent_reject'],
      ]);
      expect(executeActions(cards[0]!.card)[0]?.data.transactionId).toBe(id);
      expect(await historyOf(database.db, id, 'delivery.reachable')).toHaveLength(2);

      // Once delivered, never again: another first contact (a reinstall) sends nothing more.
      await teams.install(bob);
      await teams.message(bob, 'help');
      await drain();
      expect(consentCards()).toHaveLength(1);
    });
  },
);
