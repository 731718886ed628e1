import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { renderCard } from '../../adapters/console/render-card.js';
import { renderRefusal, renderReply as consoleReply } from '../../adapters/console/render.js';
import { cardMessage } from '../../adapters/slack/render/card.js';
import { refusalMessage, renderReply as slackReply } from '../../adapters/slack/render/reply.js';
import { renderDecisionCard } from '../../adapters/teams/render/decision-card.js';
import { refusalCard, renderReply as teamsReply } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { cancelTransfer, consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { buildDecisionCard, type CardDecision } from '../../src/app/cards.js';
import type { Reply } from '../../src/app/dispatch.js';
import { exportWorkbook } from '../../src/app/export.js';
import { guide, supportFooter } from '../../src/app/guides.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import type { Refusal } from '../../src/domain/types.js';
import { flatten } from '../../src/i18n/catalog.js';
import { loadedCatalogs, type Reader } from '../../src/i18n/index.js';
import { readWorkbook } from '../export/support.js';
import { cardText } from '../support/bot-connector.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { slackTexts, typographyFaults, workbookText } from '../support/typography.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

const FRENCH: Reader = { locale: 'fr', timeZone: 'Europe/Paris' };

describe('the check', () => {
  it('flags prose signs without a no-break space and straight quotes, and passes times, URLs, refs and commands', () => {
    expect(typographyFaults('Source: x')).toHaveLength(1);
    expect(typographyFaults('Source : x ; y ! z ?')).toHaveLength(4);
    expect(typographyFaults('*Statut:* x')).toHaveLength(1);
    expect(typographyFaults('le statut "Annulé"')).toHaveLength(1);
    expect(typographyFaults('le statut «Annulé»')).toHaveLength(2);
    expect(
      typographyFaults(
        ':warning: Source\u00a0: x, 14:05\u00a0! https://support.example/a?b=c SO:104875519-1.1 ' +
          'reject reason:"…" to:acme.com/"Lyon Lab" «\u00a0Annulé\u00a0»',
      ),
    ).toEqual([]);
  });
});

describe('every French catalog text, its values filled in', () => {
  it('follows French typography', () => {
    const faults: string[] = [];
    for (const [namespace, catalog] of Object.entries(loadedCatalogs().fr))
      for (const [path, text] of flatten(catalog)) {
        const filled = text.replace(/\{\{[^}]*\}\}/g, 'X').replace(/\$t\([^)]*\)/g, 'X');
        for (const fault of typographyFaults(filled)) faults.push(`${namespace}:${path} — ${fault}`);
      }
    expect(faults).toEqual([]);
  });
});

const help: Reply[] = [
  { kind: 'help' },
  { kind: 'help', topic: 'new' },
  { kind: 'guide', guide: guide('statuses', undefined) },
  { kind: 'guide', guide: guide('support', undefined) },
  { kind: 'guide', guide: guide('support', 'Ouvrez un dossier\u00a0: https://support.example/licences') },
];

describe('help read in French', () => {
  it.each(help.map((reply, n) => [n, reply] as const))(
    'reply %i on the console, Slack and Teams',
    (_n, reply) => {
      const texts = [
        consoleReply(FRENCH, reply).text,
        slackTexts(slackReply(reply, FRENCH)),
        cardText(
          reply.kind === 'file' || reply.kind === 'wizard' ? {} : teamsReply(reply, textsFor(FRENCH), 0),
        ),
        supportFooter('fr', undefined),
      ];
      for (const text of texts) expect(typographyFaults(text)).toEqual([]);
    },
  );
});

/** Each surface's drawing of one decision card, as text. */
function cardTexts(card: NonNullable<Awaited<ReturnType<typeof buildDecisionCard>>>): string[] {
  return [
    renderCard(FRENCH, card).text,
    slackTexts(cardMessage(card, FRENCH)),
    cardText(renderDecisionCard(card, textsFor(FRENCH), { refreshUserIds: [] })),
  ];
}

/** Each surface's drawing of a refusal. */
function refusalTexts(refusal: Refusal): string[] {
  return [
    renderRefusal(FRENCH, refusal),
    slackTexts(refusalMessage(refusal, FRENCH)),
    cardText(refusalCard(refusal, textsFor(FRENCH))),
  ];
}

describe.each(drivers)('cards, refusals and Excel files read in French (%s)', (driver) => {
  let database: TestDatabase;
  const cards: { what: string; texts: string[] }[] = [];
  const refusals: { what: string; texts: string[] }[] = [];
  let deps: ReturnType<typeof testDeps>;
  let exported = '';

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db);
    deps.config.exportDir = join(inject('testScratch'), `typography-${process.pid}-${driver}`);
    const [alice, bob, cora] = await Promise.all([
      actor(database.db, 'alice'),
      actor(database.db, 'bob'),
      actor(database.db, 'cora'),
    ]);
    const snapshot = async (what: string, id: string, decision: CardDecision) => {
      const card = await buildDecisionCard(deps, id, decision);
      cards.push({ what, texts: cardTexts(card!) });
    };
    const refusal = (what: string, result: { ok: boolean; refusal?: Refusal }) => {
      expect(result.ok, what).toBe(false);
      refusals.push({ what, texts: refusalTexts(result.refusal!) });
    };

    const rejected = await awaitingConsent(deps, 'SO:105-1');
    await snapshot('consent asked', rejected, 'consent:transferee');
    refusal('compliance before consent', await screenTransfer(deps, cora, rejected, 'approve'));
    await consentTransfer(deps, bob, rejected, 'reject', 'Pas de budget');
    await snapshot('consent rejected with a reason', rejected, 'consent:transferee');
    refusal('cancel once rejected', await cancelTransfer(deps, alice, rejected));

    const screened = await awaitingConsent(deps, 'SN:FOC0001');
    refusal('consent by the requester', await consentTransfer(deps, alice, screened, 'approve'));
    await consentTransfer(deps, bob, screened, 'approve');
    await snapshot('consent approved', screened, 'consent:transferee');
    await snapshot('compliance asked', screened, 'compliance');
    refusal('compliance reject without a reason', await screenTransfer(deps, cora, screened, 'reject'));
    await screenTransfer(deps, cora, screened, 'reject', 'Pays sous embargo');
    await snapshot('compliance rejected', screened, 'compliance');
    exported = screened;

    const cancelled = await awaitingConsent(deps, 'SO:103-1');
    await cancelTransfer(deps, alice, cancelled, 'Erreur de saisie');
    await snapshot('consent closed by a cancel', cancelled, 'consent:transferee');

    refusal(
      'a request with assets that cannot move',
      await requestTransfer(deps, alice, {
        source: { smartAccount: 'fr-a.example' },
        destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
        assets: ['SO:101-1', 'SO:999-1', 'SN:FOC0003'].map((ref) => parseAssetRef(ref)!),
        sameCompany: false,
        transferee: 'bob@be.example',
        justification: 'Bureau de Bruxelles',
        termsAccepted: true,
      }),
    );
    refusal('submit of an unknown transaction', await submitTransfer(deps, alice, 'AT-00000000'));
  });
  afterAll(() => database?.dispose());

  it('consent and compliance cards on the console inbox, Slack and Teams', () => {
    expect(cards.length).toBe(6);
    for (const { what, texts } of cards)
      for (const text of texts) expect(typographyFaults(text), `${what}\n${text}`).toEqual([]);
  });

  it('a rejected card reads as a rejection on the console, not with a check mark', () => {
    const rejectedCards = cards.filter((c) => c.what.includes('rejected'));
    expect(rejectedCards).toHaveLength(2);
    for (const { texts } of rejectedCards) {
      expect(texts[0]).toContain('✖ rejeté');
      expect(texts[0]).not.toContain('✔');
    }
  });

  it('refusals of the journey on the console, Slack and Teams', () => {
    expect(refusals.length).toBe(6);
    for (const { what, texts } of refusals)
      for (const text of texts) expect(typographyFaults(text), `${what}\n${text}`).toEqual([]);
  });

  it.each(['transaction', 'account'] as const)('the Excel %s file', async (kind) => {
    const alice = await actor(database.db, 'alice');
    const result = await exportWorkbook(
      deps,
      alice,
      kind === 'transaction'
        ? { kind: 'transaction', transactionId: exported }
        : { kind: 'smartAccount', smartAccount: 'fr-a.example' },
      { reader: FRENCH },
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    const text = workbookText(await readWorkbook(result.value.path));
    expect(text).toContain(kind === 'transaction' ? 'Pays sous embargo' : 'Annulé');
    expect(typographyFaults(text)).toEqual([]);
  });
});
