import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsClient, teamsUser, useTeamsWorld, type TeamsUser } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const ada = teamsUser('ada', 'Ada Admin', EMAILS.ada, 'fr-FR');
const eve = teamsUser('eve', 'Eve Nobody', EMAILS.eve);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

const LATER =
  'Eve Nobody (eve@nowhere.example) n’est encore joignable sur aucune plateforme de messagerie et n’a donc ' +
  'pas reçu ce qui suit.';
const TOLD_ADA = 'Ada Admin vous a attribué le rôle «\u00a0Responsable de la conformité\u00a0».';
const TOLD_EVE = 'Ada Admin gave you the role “Compliance officer”.';

/**
 * A bot admin gives a role, in Teams, to someone the bot cannot reach yet (a Teams id, the app not
 * installed for them): the bot admin is told so, in their language, in their chat, once; the person is
 * told of the role once they can be reached, once.
 */
describe.each(surfaceDrivers)('Teams: a role notice to someone out of reach (%s)', (driver) => {
  const w = useTeamsWorld(driver, []);

  const drain = async () => {
    // Twice: what the first drain's give-ups queue goes out in the second.
    await drainOutbox(w.deps, { senders: [w.bot.adapter.sender] });
    await drainOutbox(w.deps, { senders: [w.bot.adapter.sender] });
  };
  const texts = (user: TeamsUser) => w.connector.cards(user.chat).map(({ card }) => cardText(card));

  it('tells the bot admin, and gives the person the notice at their first contact, each once', async () => {
    const teams = teamsClient(w.bot, w.connector);
    w.connector.roster.set(ada.id, { id: ada.id, name: ada.name, email: ada.email });
    const eveRow = (await w.deps.store.users.findUser({ email: EMAILS.eve }))!;
    await w.deps.store.users.linkIdentity(eveRow.id, 'teams', eve.id);
    w.connector.notInstalled.add(eve.id);

    await teams.message(ada, 'grant eve@nowhere.example compliance');
    const before = texts(ada).length;
    await drain();
    const toAda = texts(ada).slice(before);
    expect(toAda).toHaveLength(1);
    expect(toAda[0]).toContain(LATER);
    expect(toAda[0]).toContain(TOLD_ADA);
    expect(texts(eve)).toEqual([]);

    // Eve installs the app: the notice reaches her, in her language, once.
    w.connector.notInstalled.delete(eve.id);
    await teams.install(eve);
    await drain();
    expect(texts(eve).filter((t) => t.includes(TOLD_EVE))).toHaveLength(1);

    // Her next contacts send nothing again, and Ada is not told again.
    await teams.message(eve, 'help');
    await teams.install(eve);
    await drain();
    expect(texts(eve).filter((t) => t.includes(TOLD_EVE))).toHaveLength(1);
    expect(
      texts(ada)
        .slice(before)
        .filter((t) => t.includes(LATER)),
    ).toHaveLength(1);
  });

  it('tells the bot admin when Teams refuses the notice for good', async () => {
    const teams = teamsClient(w.bot, w.connector);
    w.connector.roster.set(bob.id, { id: bob.id, name: bob.name, email: bob.email });
    await teams.install(bob);
    const intoBobsChat = (r: { method: string; conversationId?: string }) =>
      r.method === 'POST' && r.conversationId === bob.chat;
    w.connector.failNext({ status: 403, match: intoBobsChat });
    await teams.message(ada, 'grant bob@be.example licensing_ops');
    const before = texts(ada).length;
    await drain();
    expect(w.connector.requests.filter((r) => intoBobsChat(r) && r.refusedWith === 403)).toHaveLength(1);
    const toAda = texts(ada).slice(before);
    expect(toAda).toHaveLength(1);
    expect(toAda[0]).toContain('Le bot n’a pas pu remettre un message à Bob Peeters');
    expect(toAda[0]).toContain('après 1 tentative.');
    expect(toAda[0]).toContain(
      'Ada Admin vous a attribué le rôle «\u00a0Équipe des opérations de licences\u00a0».',
    );
  });
});
