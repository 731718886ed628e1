import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../adapters/console/render-card.js';
import { renderTransfer } from '../../adapters/console/render.js';
import { cardMessage } from '../../adapters/slack/render/card.js';
import { renderDecisionCard } from '../../adapters/teams/render/decision-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { buildDecisionCard } from '../../src/app/cards.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { cardText } from '../support/bot-connector.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { awaitingConsent, pendingSubmission } from '../support/transfers.js';
import { seedWorld, testDeps } from '../support/world.js';
import { READERS } from '../support/readers.js';

const LABELS = {
  en: ['Source legal entity', 'Destination legal entity'],
  fr: ['Entité juridique source', 'Entité juridique de destination'],
  ja: ['転送元リーガルエンティティー', '転送先リーガルエンティティー'],
};
const SOURCE = 'Lumière Réseaux SAS';
const DESTINATION = 'Lumière Réseaux Belgique SA';

describe('what a consenter and compliance read: both legal entities by name', () => {
  let database: TestDatabase;
  let id: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    id = await awaitingConsent(testDeps(database.db), 'SO:100-1');
  });
  afterAll(() => database.dispose());

  it.each(Object.keys(READERS) as (keyof typeof READERS)[])(
    'on the consent card and in show, on every surface (%s)',
    async (locale) => {
      const deps = testDeps(database.db);
      const reader = READERS[locale];
      const card = await buildDecisionCard(deps, id, 'consent:transferee');
      const view = await loadTransferView(deps, id, null);
      const slack = JSON.stringify(cardMessage(card!, reader).blocks);
      const teams = cardText(renderDecisionCard(card!, textsFor(reader), { refreshUserIds: [] }));
      const consoleCard = renderCard(reader, card!).text;
      const consoleShow = renderTransfer(reader, view!).text;
      for (const shown of [slack, teams, consoleCard, consoleShow]) {
        for (const label of LABELS[locale]) expect(shown).toContain(label);
        expect(shown).toContain(SOURCE);
        expect(shown).toContain(DESTINATION);
      }
    },
  );

  it('names the one legal entity of a transfer within a company on both sides', async () => {
    const deps = testDeps(database.db);
    const sameCompany = await pendingSubmission(deps, 'SO:100-2');
    const view = await loadTransferView(deps, sameCompany, null);
    expect([view!.source.legalEntity, view!.destination.legalEntity]).toEqual([SOURCE, SOURCE]);
  });
});
