import { describe, expect, it } from 'vitest';
import type { BotConnector } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { useTeamsWorld, submitButtons, teamsUser } from '../support/teams.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);

/** The titles of the list card's buttons that open one transaction (`show ID`). */
function showButtons(connector: BotConnector, chat: string, id: string): string[] {
  return submitButtons(connector.cards(chat).at(-1)?.card)
    .filter((button) => button.data.command === `show ${id}`)
    .map((button) => button.title);
}

describe.each(surfaceDrivers)('Teams: the transactions list (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice, paul]);

  it('asks the transferor of a partner’s request to View / Provide Consent; the partner only to View', async () => {
    // Paul (a partner) asks; Alice, an admin of the source for its own company, must consent as transferor.
    const id = await awaitingConsent(world.deps, 'SO:100-1', { requester: 'paul' });
    await world.teams.message(alice, 'list');
    expect(showButtons(world.connector, alice.chat, id)).toEqual(['View / Provide Consent']);
    await world.teams.message(paul, 'list');
    expect(showButtons(world.connector, paul.chat, id)).toEqual(['View']);
  });
});
