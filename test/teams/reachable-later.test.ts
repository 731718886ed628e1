import { describe, expect, it } from 'vitest';
import { expireTransfer } from '../../src/app/actions.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld, type TeamsUser } from '../support/teams.js';
import { awaitingConsent, historyOf } from '../support/transfers.js';
import { actorIn, EMAILS } from '../support/world.js';

const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);

describe.each(surfaceDrivers)('Teams: cards for someone who becomes reachable later (%s)', (driver) => {
  const world = useTeamsWorld(driver, []);

  const drain = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });

  /** The decision cards posted into a person's chat since `from`, as the transfer id and button verbs. */
  function cardsIn(user: TeamsUser, from: number): [string, string[]][] {
    return world.connector
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
    const alice = await actorIn(world.deps, 'alice');
    return (await world.deps.store.outbox.addressedTo(alice.userId, null, 1000)).length;
  }

  it('posts the consent card once the transferee, known by Teams id but never seen, first writes to the bot', async () => {
    const user = (await world.deps.store.users.findUser({ email: EMAILS.bob }))!;
    await world.deps.store.users.linkIdentity(user.id, 'teams', bob.id);
    world.connector.notInstalled.add(bob.id); // the roster cannot open a chat with him
    const open = await awaitingConsent(world.deps, 'SO:100-1');
    const ended = await awaitingConsent(world.deps, 'SO:103-1');
    await drain();
    expect(cardsIn(bob, 0)).toEqual([]);
    expect(await historyOf(world.database.db, open, 'delivery.unreachable')).not.toHaveLength(0);
    const longAgo = new Date(world.deps.now().getTime() - 31 * 86_400_000);
    expect((await expireTransfer(world.deps, ended, longAgo)).ok).toBe(true);
    await drain();
    const told = await toAlice();

    await world.teams.message(bob, 'help');
    await drain();
    expect(cardsIn(bob, 0)).toEqual([[open, ['consent_approve', 'consent_reject']]]);
    expect(cardText(world.connector.cards(bob.chat).at(-1)?.card)).toContain(open);

    // Once only: his next messages, or a second first contact after a reinstall, send nothing again.
    await world.teams.message(bob, 'help');
    await world.teams.install(bob);
    await drain();
    expect(cardsIn(bob, 0)).toHaveLength(1);
    expect(await toAlice()).toBe(told);
    const reached = await historyOf(world.database.db, open, 'delivery.reachable');
    expect(reached.map((row) => row.details)).toEqual([
      expect.objectContaining({ recipient: `Bob Peeters <${EMAILS.bob}>`, what: 'consentCard' }),
    ]);
    expect(await historyOf(world.database.db, ended, 'delivery.reachable')).toEqual([]);
  });

  it('posts the consent card once a transferee known only by e-mail writes to the bot and is linked', async () => {
    world.connector.roster.set(paul.id, { id: paul.id, name: paul.name, email: paul.email });
    const id = await awaitingConsent(world.deps, 'SO:100-2', { transferee: 'paul' });
    await drain();
    expect(cardsIn(paul, 0)).toEqual([]);

    await world.teams.message(paul, 'help');
    await drain();
    expect(cardsIn(paul, 0)).toEqual([[id, ['consent_approve', 'consent_reject']]]);
  });
});
