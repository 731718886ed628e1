import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTransfer } from '../../adapters/console/render.js';
import { transferBlocks, transferText } from '../../adapters/slack/render/transfer.js';
import { renderTransferCard } from '../../adapters/teams/render/transfer-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import type { TransferView } from '../../src/app/views.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import type { Reader } from '../../src/i18n/index.js';
import { cardText } from '../support/bot-connector.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { slackTexts, typographyFaults } from '../support/typography.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

/**
 * French puts a no-break space (U+00A0) before « : ; ! ? », also where a surface joins a label and a
 * value itself: a transaction read in French on each surface has no ordinary space, and no missing
 * space, before those signs (the check itself is in test/support/typography.ts).
 */

const FRENCH: Reader = { locale: 'fr', timeZone: 'Europe/Paris' };

function slackText(view: TransferView): string {
  return slackTexts({ text: transferText(view, FRENCH), blocks: transferBlocks(view, FRENCH) });
}

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
