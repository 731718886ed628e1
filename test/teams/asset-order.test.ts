import { describe, expect, it } from 'vitest';
import { addBigOrder } from '../support/big-order.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

/** The license references a card names, in the order it names them. */
const refsIn = (shown: string) => [...shown.matchAll(/SO:\d+-\d+/g)].map((m) => m[0]);

describe.each(surfaceDrivers)('Teams: `assets` lists licenses in number order (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice]);

  it('lists a sales order’s lines as they are counted: -1, -2, -10, not -1, -10, -2', async () => {
    await addBigOrder(world.database.db, { salesOrder: '960', lines: 12, inUse: [] });
    await world.teams.message(alice, 'assets fr-a.example licenses 960');
    const shown = cardText(world.connector.cards(alice.chat).at(-1)?.card);
    expect(refsIn(shown)).toEqual(Array.from({ length: 12 }, (_, n) => `SO:960-${n + 1}`));
  });
});
