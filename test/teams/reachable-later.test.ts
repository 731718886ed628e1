import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireTransfer } from '../../src/app/actions.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions, startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { createTestDatabase, surfaceDrivers, type TestDatabase } from '../support/db.js';
import { startBot, teamsClient, teamsUser, type RunningBot, type TeamsUser } from '../support/teams.js';
import { awaitingConsent, historyOf } from '../support/transfers.js';
import { actorIn, EMAILS, seedWorld, testDeps } from '../support/world.js';

const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);

describe.each(surfaceDrivers)('Teams: cards for someone who becomes reachable later (%s)', (driver) => {
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

  /** The decision cards posted into a person's chat since `from`, as the transfer id and button verbs. */
  function cardsIn(user: TeamsUser, from: number): [string, string[]][] {
    return connector
      .cards(user.chat)
      .slice(from)
      .filter(({ card }) => executeActions(card).length > 0)
      .map(({ card }) => [
        String(executeActions(card)[0]?.data.transactionId),
        executeActions(card).map((action) => action.verb),
      ]);
  }

  /** The messages the requester has been sent about a transfer, as the outbox holds them. */
  async function toAlice(): Promise<number> {
    const alice = await actorIn(deps, 'alice');
    return (await deps.store.outbox.addressedTo(alice.userId, null, 1000)).length;
  }

  it('posts the consent card once the transferee, known by Teams id but never seen, first writes to the bot', async () => {
    const user = (await deps.store.users.findUser({ email: EMAILS.bob }))!;
    await deps.store.users.linkIdentity(user.id, 'teams', bob.id);
    connector.notInstalled.add(bob.id); // the roster cannot open a chat with him
    const open = await awaitingConsent(deps, 'SO:100-1');
    const ended = await awaitingConsent(deps, 'SO:103-1');
    await drain();
    expect(cardsIn(bob, 0)).toEqual([]);
    expect(await historyOf(database.db, open, 'delivery.unreachable')).not.toHaveLength(0);
    const longAgo = new Date(deps.now().getTime() - 31 * 86_400_000);
    expect((await expireTransfer(deps, ended, longAgo)).ok).toBe(true);
    await drain();
    const told = await toAlice();

    const teams = teamsClient(bot, connector);
    await teams.message(bob, 'help');
    await drain();
    expect(cardsIn(bob, 0)).toEqual([[open, ['consent_approve', 'consent_reject']]]);
    expect(cardText(connector.cards(bob.chat).at(-1)?.card)).toContain(open);

    // Once only: his next messages, or a second first contact after a reinstall, send nothing again.
    await teams.message(bob, 'help');
    await teams.install(bob);
    await drain();
    expect(cardsIn(bob, 0)).toHaveLength(1);
    expect(await toAlice()).toBe(told);
    const reached = await historyOf(database.db, open, 'delivery.reachable');
    expect(reached.map((row) => row.details)).toEqual([
      expect.objectContaining({ recipient: `Bob Peeters <${EMAILS.bob}>`, what: 'consentCard' }),
    ]);
    expect(await historyOf(database.db, ended, 'delivery.reachable')).toEqual([]);
  });

  it('posts the consent card once a transferee known only by e-mail writes to the bot and is linked', async () => {
    connector.roster.set(paul.id, { id: paul.id, name: paul.name, email: paul.email });
    const id = await awaitingConsent(deps, 'SO:100-2', { transferee: 'paul' });
    await drain();
    expect(cardsIn(paul, 0)).toEqual([]);

    await teamsClient(bot, connector).message(paul, 'help');
    await drain();
    expect(cardsIn(paul, 0)).toEqual([[id, ['consent_approve', 'consent_reject']]]);
  });
});
