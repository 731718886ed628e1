import { describe, expect, it } from 'vitest';
import { consentTransfer, expireTransfer } from '../../src/app/actions.js';
import type { AppDeps } from '../../src/app/deps.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { awaitingConsent } from '../support/transfers.js';
import { actorIn, EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

/** Twelve consent reminders on the record of `id`, as the sweep writes them, a day apart. */
async function twelveReminders(store: AppDeps['store'], id: string) {
  await store.transfers.appendHistory(
    Array.from({ length: 12 }, (_, i) => ({
      transferId: id,
      at: new Date(Date.now() + (i + 1) * 86_400_000),
      actor: 'system',
      surface: 'system',
      action: 'reminder.consent',
      details: { number: i + 1, role: 'transferee', name: 'Bob Peeters' },
    })),
  );
}

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

  it('keeps the request and the latest steps of a long history, and counts those left out between them', async () => {
    const id = await awaitingConsent(world.deps, 'SO:103-1');
    await twelveReminders(world.deps.store, id);
    await world.teams.message(alice, `show ${id}`);
    const card = lastCard();
    expect(card).toContain('Transfer requested (Validation Initiated)');
    expect(card).toContain(
      `7 earlier entries not shown: the Excel file of ${id} (Download) has the full history.`,
    );
    expect(card).toContain('Consent reminder 12 sent to Bob Peeters');
    expect(card).toContain('Consent reminder 4 sent to Bob Peeters');
    expect(card).not.toContain('Consent reminder 3 sent');
    expect(card.indexOf('Transfer requested')).toBeLessThan(card.indexOf('7 earlier entries'));
  });

  it('no longer says a consent is awaited once the transfer was cancelled without it', async () => {
    const id = await awaitingConsent(world.deps, 'SO:104-1');
    const expired = await expireTransfer(world.deps, id, new Date(Date.now() - 60 * 86_400_000));
    expect(expired.ok && expired.value.state.status).toBe('cancelled');
    await world.teams.message(alice, `show ${id}`);
    const card = lastCard();
    expect(card).toContain('Transferee: Bob Peeters, not answered (no longer awaited).');
    expect(card).not.toContain('has not answered yet');
  });
});
