import { describe, expect, it } from 'vitest';
import { consentTransfer } from '../../src/app/actions.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { awaitingConsent } from '../support/transfers.js';
import { actorIn, EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

describe.each(surfaceDrivers)('Teams: a transfer’s record as people read it (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice]);
  const lastCard = () => cardText(world.connector.cards(alice.chat).at(-1)?.card);

  it('lists a transfer that ended without moving with no completion date, an open one “Not yet”', async () => {
    const open = await awaitingConsent(world.deps, 'SO:100-1');
    const refused = await awaitingConsent(world.deps, 'SO:105-1');
    expect(
      (await consentTransfer(world.deps, await actorIn(world.deps, 'bob'), refused, 'reject', 'No')).ok,
    ).toBe(true);
    await world.teams.message(alice, 'list');
    const list = lastCard();
    const rowOf = (id: string) => list.slice(list.indexOf(`**${id}**`)).split('Download')[0];
    expect(rowOf(refused)).toContain('Cancelled');
    expect(rowOf(refused)).toMatch(/Completion date\W+—/);
    expect(rowOf(refused)).not.toContain('Not yet');
    expect(rowOf(open)).toMatch(/Completion date\W+Not yet/);
  });

  it('says on which surface each step of the history was taken, as the console and the Excel file do', async () => {
    const id = await awaitingConsent(world.deps, 'SO:100-2');
    await world.teams.message(alice, `show ${id}`);
    const card = lastCard();
    expect(card).toContain('alice@fr.example (Console) · Transfer requested (Validation Initiated)');
    expect(card).toContain('System (Console) · Assets validated');
  });
});
