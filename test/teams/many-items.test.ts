import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, type AdaptiveCardJson, type BotConnector } from '../support/bot-connector.js';
import { addBigOrder, blockLines, range } from '../support/big-order.js';
import { surfaceDrivers } from '../support/db.js';
import { submitButtons, teamsUser, useTeamsWorld } from '../support/teams.js';
import { statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice, 'fr-FR');
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const eve = teamsUser('eve', 'Eve Nobody', EMAILS.eve);

/** A transfer of 300 licenses; 40 of them in use on devices (lines 200 to 239). */
const ORDER = { lines: 300, inUse: range(200, 239) };
/** Lines that get an upgrade pending once asked for: they fail when the transfer runs. */
const FAILING = [150, 299];

function lastCard(connector: BotConnector, conversationId: string): AdaptiveCardJson {
  const last = connector.cards(conversationId).at(-1);
  if (!last) throw new Error(`no card posted to ${conversationId}`);
  return last.card;
}

const refsShown = (shown: string, salesOrder: string) =>
  new Set(shown.match(new RegExp(`SO:${salesOrder}-\\d+`, 'g')) ?? []);

const fileOffers = (connector: BotConnector, conversationId: string) =>
  connector
    .posted(conversationId)
    .flatMap((r) => (r.body as { attachments?: { contentType: string; name?: string }[] }).attachments ?? [])
    .filter((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent');

describe.each(surfaceDrivers)(
  'Teams: a transfer of hundreds of items (%s)',
  { timeout: 120_000 },
  (driver) => {
    const world = useTeamsWorld(driver, [alice, bob, eve]);

    async function requested(line: string): Promise<string> {
      await world.teams.message(alice, line);
      const id = /AT-[0-9A-Z]{8}/.exec(cardText(lastCard(world.connector, alice.chat)))?.[0];
      if (!id) throw new Error('no transaction created');
      return id;
    }

    it('`show` of a partial transfer shows the failed items first, then those with warnings, and counts the rest', async () => {
      await addBigOrder(world.database.db, { salesOrder: '910', ...ORDER });
      const id = await requested(
        'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:910 same-company:yes',
      );
      await blockLines(world.database.db, '910', FAILING);
      await world.teams.message(alice, `submit ${id}`);
      expect(await statusOf(world.database.db, id)).toBe('transfer_completed_with_failure');

      await world.teams.message(alice, `show ${id}`);
      const shown = cardText(lastCard(world.connector, alice.chat));
      const refs = refsShown(shown, '910');
      for (const line of FAILING) expect(refs).toContain(`SO:910-${line}`);
      // Each with its minor line under it.
      for (const line of FAILING) expect(shown).toContain(`${line}.1 · C9300-DNA-E-24 · ×10`);
      const warned = [...refs].filter((ref) => ORDER.inUse.includes(Number(ref.split('-')[1])));
      expect(warned.length).toBe(refs.size - FAILING.length);
      expect(warned[0]).toBe('SO:910-200');
      expect(shown).toContain(
        `Non affichés\u00a0: ${ORDER.inUse.length - warned.length} éléments avec avertissements.`,
      );
    });

    it('a consent card for hundreds of items says how many more carry warnings, and offers their Excel file', async () => {
      await addBigOrder(world.database.db, { salesOrder: '920', ...ORDER });
      // Bob has the app, so his card can reach him.
      await world.teams.install(bob);
      const id = await requested(
        'new from:fr-a.example to:be.example/DEFAULT assets:SO:920 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
      );
      await world.teams.message(alice, `submit ${id}`);
      await drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
      const card = lastCard(world.connector, bob.chat);
      const drawn = cardText(card);
      const warned = [...refsShown(drawn, '920')];
      expect(warned.length).toBeGreaterThan(0);
      expect(warned.every((ref) => ORDER.inUse.includes(Number(ref.split('-')[1])))).toBe(true);
      expect(drawn).toContain(`Not shown: ${ORDER.inUse.length - warned.length} items with warnings.`);
      const download = submitButtons(card).find((b) => b.title === 'Download');
      expect(download?.data).toEqual({ command: `export ${id}` });

      // Pressed, it is a command like any other, checked against the database for who pressed it.
      await world.teams.message(bob, '', { value: download!.data });
      expect(fileOffers(world.connector, bob.chat).at(-1)?.name).toMatch(new RegExp(`^${id}.*\\.xlsx$`));
      await world.teams.message(eve, '', { value: download!.data });
      expect(world.connector.posted(eve.chat).length).toBeGreaterThan(0);
      expect(fileOffers(world.connector, eve.chat)).toHaveLength(0);
    });
  },
);
