import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandText } from '../../adapters/teams/activity.js';
import { renderTransferCard } from '../../adapters/teams/render/transfer-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import {
  assetAnswer,
  cardDataSchema,
  emptyCard,
  entryCard,
  selectionFor,
  SELECTION_FIELD_MAX,
} from '../../adapters/teams/wizard/state.js';
import { journeyFromPrefill } from '../../src/app/journey/journey.js';
import { requestTransfer } from '../../src/app/request.js';
import { ITEMS_DESCRIBED, loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { cardText, executeActions } from '../support/bot-connector.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

describe('Teams: what a person typed', () => {
  it.each([
    ['show AT-7F3K9QJ2', 'show AT-7F3K9QJ2'],
    ['<at>Asset Transfer Bot</at> list', 'list'],
    [
      '<p><at id="0">Asset Transfer Bot</at>&nbsp;consent AT-7F3K9QJ2 reject reason:&quot;not &amp; never&quot;</p>',
      'consent AT-7F3K9QJ2 reject reason:"not & never"',
    ],
    ['<div>accounts <b>lumi&egrave;re</b><br>lyon</div>', 'accounts lumi&egrave;re lyon'],
    ['new from:a.example justification:"x &lt; y"', 'new from:a.example justification:"x < y"'],
    ['  &#x41;T-1  ', 'AT-1'],
  ])('%j reads as %j', (typed, command) => {
    expect(commandText(typed)).toEqual({ ok: true, text: command });
  });
});

describe('Teams: what the dialog’s cards carry', () => {
  it('the entry card carries only the draft holding what the one-line `new` gave; a journey sent in a card is dropped', () => {
    expect(entryCard('draft-1')).toEqual({ ...emptyCard(), draft: 'draft-1' });
    const forged = cardDataSchema.parse({
      draft: 'draft-1',
      journey: { source: { smartAccount: 'not-mine.example' }, sameCompany: false },
    });
    expect(forged).not.toHaveProperty('journey');
    const journey = journeyFromPrefill({
      source: { smartAccount: 'fr-a.example', virtualAccount: 'Lab' },
      assets: [parseAssetRef('SO:100')!, parseAssetRef('SN:FOC0001')!],
      whole: [{ virtualAccount: 'DEFAULT', kind: 'devices' }],
      sameCompany: false,
    });
    expect(selectionFor(journey).text).toBe('SO:100, SN:FOC0001, VA:DEFAULT devices');
  });

  it('the asset answer is the typed selection with ticked rows added and unticked ones (of this page only) removed', () => {
    const data = cardDataSchema.parse({ at: 'assets', shown: ['SO:1-1', 'SO:2-1'] });
    expect(
      assetAnswer(data, { assets: 'so:1-1, SO:9-9, ALL devices', sel_0: 'false', sel_1: 'true' }, {}),
    ).toBe('SO:9-9, ALL devices, SO:2-1');
    // No text field sent: the journey's selection so far is the starting point.
    const sofar = { assets: { refs: ['SO:9-9'], whole: [] } };
    expect(assetAnswer(data, { sel_1: 'true' }, sofar)).toBe('SO:9-9, SO:2-1');
  });

  it('keeps the references a file gave beyond what the text field holds, whatever the field sends back', () => {
    const refs = Array.from({ length: 3000 }, (_, i) => `SO:${100000 + i}-1`);
    const journey = { assets: { refs, whole: [] } };
    const held = selectionFor(journey);
    expect(held.text.length).toBeLessThanOrEqual(SELECTION_FIELD_MAX);
    expect(held.kept.length).toBeGreaterThan(0);
    expect(selectionFor(journey).text.split(', ').length + held.kept.length).toBe(3000);
    const data = cardDataSchema.parse({ at: 'assets', shown: [] });
    // Sent back as drawn: all 3,000 stay.
    expect(assetAnswer(data, { assets: held.text }, journey).split(', ')).toEqual(refs);
    // One removed from the field: only that one goes.
    const edited = held.text.replace('SO:100000-1, ', '');
    expect(assetAnswer(data, { assets: edited }, journey).split(', ')).toEqual(refs.slice(1));
  });

  it('refuses a forged card rather than trusting it', () => {
    expect(cardDataSchema.safeParse({ at: 'delete' }).success).toBe(false);
    expect(cardDataSchema.safeParse({ shown: Array.from({ length: 5000 }, () => 'SO:1-1') }).success).toBe(
      false,
    );
  });
});

describe('Teams: a transfer card stays within what Teams accepts', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db, 400);
  });
  afterAll(() => database?.dispose());

  it('summarises a 400-item transfer under the 28 KB card limit, pointing to the Excel file', async () => {
    const alice = await actor(database.db, 'alice', 'teams');
    const deps = testDeps(database.db);
    const requested = await requestTransfer(deps, alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:900')!],
      sameCompany: true,
    });
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const view = (await loadTransferView(deps, requested.value.state.id, alice))!;
    expect(view.items).toHaveLength(400);
    // Each item drawn is described by its asset; those past what any card draws are not read for it.
    expect(view.items.slice(0, 30).every((item) => item.facts !== null)).toBe(true);
    expect(view.items.filter((item) => item.facts !== null)).toHaveLength(ITEMS_DESCRIBED);
    // The console prints every item, each described.
    const atConsole = await actor(database.db, 'alice', 'console');
    const printed = (await loadTransferView(deps, requested.value.state.id, atConsole))!;
    expect(printed.items.every((item) => item.facts !== null)).toBe(true);
    for (const locale of ['en', 'fr', 'ja'] as const) {
      const card = renderTransferCard(view, textsFor({ locale, timeZone: 'Europe/Paris' }), {
        viewerUserId: alice.userId,
      });
      expect(Buffer.byteLength(JSON.stringify(card)), locale).toBeLessThan(28 * 1024);
      expect(executeActions(card).map((a) => a.verb)).toEqual(['transfer_submit', 'transfer_cancel']);
    }
    const english = cardText(
      renderTransferCard(view, textsFor({ locale: 'en', timeZone: 'Europe/Paris' }), {
        viewerUserId: alice.userId,
      }),
    );
    expect(english).toContain('And 370 more items: download the Excel file');
    expect(english).toContain('23 Nov 2026, 09:00 CET'); // 08:00 UTC, in the reader's time zone, with the zone named
  });
});
