import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, type BotConnector } from '../support/bot-connector.js';
import { drivers } from '../support/db.js';
import { startTeamsWorld, teamsUser, type TeamsClient, type TeamsWorld } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

describe.each(drivers)('Teams: a whole selection in the one-line new (%s)', (driver) => {
  let world: TeamsWorld;
  let connector: BotConnector;
  let teams: TeamsClient;

  beforeAll(async () => {
    world = await startTeamsWorld(driver, [alice]);
    ({ connector, teams } = world);
  });
  afterAll(() => world?.close());

  it('answers with the transfer card, the count per Virtual Account and the assets left out with their reasons', async () => {
    const res = await teams.message(
      alice,
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:DEFAULT devices same-company:yes',
    );
    expect(res.status).toBe(200);
    const card = connector.cards(alice.chat).at(-1)?.card;
    if (!card) throw new Error('no card posted');
    const text = cardText(card);
    expect(text).toMatch(/Transaction AT-[0-9A-Z]{8} created/u);
    expect(text).toContain('DEFAULT: licenses 0 · devices 2');
    expect(text).toContain('SN:FOC0003');
    expect(text).toContain('SSM On-Prem');
  });
});
