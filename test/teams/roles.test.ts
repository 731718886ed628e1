import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const ada = teamsUser('ada', 'Ada Admin', EMAILS.ada, 'fr-FR');
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

describe.each(surfaceDrivers)('Teams: a bot admin grants a role (%s)', (driver) => {
  const world = useTeamsWorld(driver, [ada, bob]);
  const texts = (chat: string) =>
    world.connector.posted(chat).map((r) => (r.body as { text?: string }).text ?? '');
  const accountsSeenBy = async () => {
    await world.teams.message(bob, 'accounts');
    return cardText(world.connector.cards(bob.chat).at(-1)?.card);
  };

  it('makes Bob admin of fr-a.example: Ada reads it in French, Bob is told, and Bob then sees the account', async () => {
    expect(await accountsSeenBy()).not.toContain('fr-a.example');

    await world.teams.message(ada, 'grant bob@be.example admin fr-a.example');
    expect(texts(ada.chat)).toContain(
      'Bob Peeters (bob@be.example) a désormais le rôle «\u00a0Administrateur du compte Smart\u00a0» sur Lumière Lyon (fr-a.example).',
    );

    await drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
    // The message comes as a notice card in Bob's chat.
    expect(cardText(world.connector.cards(bob.chat).at(-1)?.card)).toContain(
      'Ada Admin gave you the role “Smart Account admin” on Lumière Lyon (fr-a.example).',
    );
    expect(await accountsSeenBy()).toContain('fr-a.example');
  });

  it('refuses Bob, who is no bot admin, and changes nothing', async () => {
    await world.teams.message(bob, 'revoke bob@be.example admin fr-a.example');
    expect(texts(bob.chat).at(-1)).toBe(
      'Only a bot admin can grant or take away roles. Nothing was changed.',
    );
    expect(await accountsSeenBy()).toContain('fr-a.example');
  });
});
