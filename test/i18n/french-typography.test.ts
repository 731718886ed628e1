import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTransfer } from '../../adapters/console/render.js';
import { transferBlocks, transferText } from '../../adapters/slack/render/transfer.js';
import { renderTransferCard } from '../../adapters/teams/render/transfer-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { loadTransferView, type TransferView } from '../../src/app/views.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import type { Reader } from '../../src/i18n/index.js';
import { cardText } from '../support/bot-connector.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

/**
 * French puts a no-break space (U+00A0) before « : ; ! ? », also where a surface joins a label and a
 * value itself: a transaction read in French on each surface has no ordinary space, and no missing
 * space, before those signs.
 */

const FRENCH: Reader = { locale: 'fr', timeZone: 'Europe/Paris' };

/** Each place a sign of the four follows an ordinary space or a letter directly, with its surroundings. */
function typographyFaults(text: string): string[] {
  // Slack's emoji codes (:warning:) and clock times (09:00) are not punctuation.
  const cleaned = text.replace(/:[a-z_]+:/g, '').replace(/\d:\d/g, '');
  return [...cleaned.matchAll(/(?:[ \p{L}\p{N}*_)»])[:;!?](?=\s|$)/gu)].map((m) =>
    JSON.stringify(cleaned.slice(Math.max(0, m.index - 25), m.index + 3)),
  );
}

function slackText(view: TransferView): string {
  const blocks = JSON.stringify(transferBlocks(view, FRENCH));
  const texts = [...blocks.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map(
    (m) => JSON.parse(`"${m[1]}"`) as string,
  );
  return [transferText(view, FRENCH), ...texts].join('\n');
}

describe('the check', () => {
  it('flags an ordinary space or none before the sign, and passes a no-break space, emoji codes and times', () => {
    expect(typographyFaults('Source: x')).toHaveLength(1);
    expect(typographyFaults('Source : x ; y ! z ?')).toHaveLength(4);
    expect(typographyFaults(':warning: Source\u00a0: x, 09:00\u00a0!')).toEqual([]);
  });
});

describe.each(drivers)('a transaction read in French (%s)', (driver) => {
  let database: TestDatabase;
  let view: TransferView;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    const alice = await actor(database.db, 'alice', 'console');
    const deps = testDeps(database.db);
    const requested = await requestTransfer(deps, alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:105-1')!, parseAssetRef('SN:FOC0001')!],
      sameCompany: false,
      transferee: 'bob@be.example',
      justification: 'Bureau de Bruxelles',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(JSON.stringify(requested.refusal));
    await submitTransfer(deps, alice, requested.value.state.id);
    view = (await loadTransferView(deps, requested.value.state.id, alice))!;
  });
  afterAll(() => database?.dispose());

  it('on the console', () => {
    const text = renderTransfer(FRENCH, view).text;
    expect(text).toContain('\u00a0:');
    expect(typographyFaults(text)).toEqual([]);
  });

  it('in Slack', () => {
    const text = slackText(view);
    expect(text).toContain('\u00a0:');
    expect(typographyFaults(text)).toEqual([]);
  });

  it('in Teams', () => {
    const text = cardText(renderTransferCard(view, textsFor(FRENCH), { viewerUserId: view.requester.id }));
    expect(text).toContain('\u00a0:');
    expect(typographyFaults(text)).toEqual([]);
  });
});
