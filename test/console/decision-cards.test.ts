import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_ITEMS_SHOWN, renderCard } from '../../adapters/console/render-card.js';
import { cardMessage } from '../../adapters/slack/render/card.js';
import { consentTransfer, submitTransfer } from '../../src/app/actions.js';
import { buildDecisionCard, type CardDecision } from '../../src/app/cards.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { slackTexts } from '../support/typography.js';
import { actorIn, EMAILS, seededDatabase, type testDeps } from '../support/world.js';
import { READERS } from '../support/readers.js';

/**
 * Given a partner's request between two legal entities of a license in use on devices and a device
 * registered through CSLU, the consent and compliance cards in the console inbox say what is decided on:
 * the role asked, each item's details and warnings, and who has consented so far — as Slack draws them.
 */
describe.each(surfaceDrivers)('decision cards in the console inbox (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let id: string;
  const card = async (decision: CardDecision) => (await buildDecisionCard(deps, id, decision))!;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    const paul = await actorIn(deps, 'paul');
    const requested = await requestTransfer(deps, paul, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      assets: ['SO:103-1', 'SN:FOC0002'].map((ref) => parseAssetRef(ref)!),
      sameCompany: false,
      transferee: EMAILS.bob,
      transferor: EMAILS.carol,
      justification: 'Brussels office',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    id = requested.value.state.id;
    expect((await submitTransfer(deps, paul, id)).ok).toBe(true);
  });
  afterAll(() => database.dispose());

  it('names the role the reader is asked in, in the title', async () => {
    const transferor = await card('consent:transferor');
    expect(renderCard(READERS.ja, transferor).text.split('\n')[0]).toBe(
      `トランザクション ${id} について、譲渡人（転送元）としての同意が求められています`,
    );
    expect(renderCard(READERS.fr, await card('consent:transferee')).text.split('\n')[0]).toBe(
      `Votre consentement en tant que cessionnaire est demandé pour la transaction ${id}`,
    );
    expect(renderCard(READERS.en, transferor).text.split('\n')[0]).toBe(
      `Your consent as transferor is requested for transaction ${id}`,
    );
  });

  it('shows each item that will move with its details and warnings, as the Slack card does', async () => {
    const consent = await card('consent:transferee');
    const text = renderCard(READERS.fr, consent).text;
    const slack = slackTexts(cardMessage(consent, READERS.fr));
    for (const shown of [
      'SO:103-1',
      'C9300-DNA-E-24-3Y ×10',
      'Smart',
      'SN:FOC0002',
      'Enregistrement\u00a0: CSLU',
      'périphériques\u00a0: ces périphériques ne seront plus conformes après le transfert.',
      'enregistré via CSLU\u00a0: mettez ensuite à jour le compte Smart dans les préférences CSLU.',
    ]) {
      expect(text).toContain(shown);
      expect(slack).toContain(shown);
    }
    expect(text).toContain('Éléments (2)\u00a0:');
  });

  it('leaves out, as the Slack card does, an item dropped at validation', async () => {
    const consent = await card('consent:transferee');
    const dropped = { ...consent.transfer.items[0]!, ref: 'SO:101-1', result: 'excluded' as const };
    const shown = {
      ...consent,
      transfer: { ...consent.transfer, items: [...consent.transfer.items, dropped] },
    };
    expect(renderCard(READERS.en, shown).text).not.toContain('SO:101-1');
    expect(slackTexts(cardMessage(shown, READERS.en))).not.toContain('SO:101-1');
  });

  it('tells compliance who has consented, as what, and when', async () => {
    const [bob, carol] = [await actorIn(deps, 'bob'), await actorIn(deps, 'carol')];
    expect((await consentTransfer(deps, carol, id, 'approve')).ok).toBe(true);
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    const text = renderCard(READERS.ja, await card('compliance')).text;
    expect(text.split('\n')[0]).toBe(`トランザクション ${id} のコンプライアンス審査が必要です`);
    expect(text).toContain('アイテム（2）：');
    expect(text).toMatch(/譲渡人（転送元）（Carol Durand）：\d{4}年.* に Carol Durand さんが承認しました/);
    expect(text).toMatch(/譲受人（転送先）（Bob Peeters）：\d{4}年.* に Bob Peeters さんが承認しました/);
    expect(text).toContain('SN:FOC0002');
  });

  it('lists the first items and counts the rest, which show lists', async () => {
    const many = await card('compliance');
    const items = Array.from({ length: CARD_ITEMS_SHOWN + 2 }, (_, n) => ({
      ...many.transfer.items[0]!,
      ref: `SO:9${n}-1`,
    }));
    const text = renderCard(READERS.en, { ...many, transfer: { ...many.transfer, items } }).text;
    expect(text).toContain(`SO:9${CARD_ITEMS_SHOWN - 1}-1`);
    expect(text).not.toContain(`SO:9${CARD_ITEMS_SHOWN}-1`);
    expect(text).toContain(`…and 2 more items: show ${id} lists every item.`);
  });
});
