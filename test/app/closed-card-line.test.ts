import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardMessage } from '../../adapters/slack/render/card.js';
import { renderDecisionCard } from '../../adapters/teams/render/decision-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { consentTransfer, submitTransfer } from '../../src/app/actions.js';
import { buildDecisionCard, type DecisionCardView } from '../../src/app/cards.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import type { Reader } from '../../src/i18n/index.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { slackTexts } from '../support/typography.js';
import { actorIn, EMAILS, seededDatabase, type testDeps } from '../support/world.js';
import { READERS } from '../support/readers.js';

/**
 * A consent card the transfer has moved past (the transferee refused, so the transferor's consent is no
 * longer asked) closes with one line that says so, in the same words on Slack and on Teams: the
 * transaction, as the deck names it, and its status now.
 */
describe.each(surfaceDrivers)('the closing line of a card no decision is needed on (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let id: string;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    const [paul, bob] = await Promise.all([actorIn(deps, 'paul'), actorIn(deps, 'bob')]);
    const requested = await requestTransfer(deps, paul, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:103-1')!],
      sameCompany: false,
      transferee: EMAILS.bob,
      transferor: EMAILS.carol,
      justification: 'Brussels office',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    id = requested.value.state.id;
    expect((await submitTransfer(deps, paul, id)).ok).toBe(true);
    expect((await consentTransfer(deps, bob, id, 'reject', 'Not ours')).ok).toBe(true);
  });
  afterAll(() => database.dispose());

  /** The card's text on Slack and on Teams, as `reader` reads them. */
  function drawn(card: DecisionCardView, reader: Reader): { slack: string; teams: string } {
    return {
      slack: slackTexts(cardMessage(card, reader)),
      teams: cardText(renderDecisionCard(card, textsFor(reader), { refreshUserIds: [] })),
    };
  }

  it.each([
    ['en', 'No decision is needed any more: Bob Peeters (transferee) rejected the request: Not ours'],
    ['fr', 'Plus aucune réponse n’est attendue : Bob Peeters (cessionnaire) a rejeté la demande : Not ours'],
    ['ja', '対応は不要になりました：譲受人（転送先）の Bob Peeters さんがリクエストを却下しました：Not ours'],
  ] as const)('saying why, in %s', async (lang, line) => {
    const { slack, teams } = drawn((await buildDecisionCard(deps, id, 'consent:transferor'))!, READERS[lang]);
    expect(slack).toContain(line);
    expect(teams).toContain(line);
  });

  it.each([
    ['en', 'No decision is needed any more: the transaction is now “Cancelled”.'],
    ['fr', 'Plus aucune réponse n’est attendue : la transaction a désormais le statut « Annulé ».'],
    ['ja', '対応は不要になりました：トランザクションは現在「キャンセル済み」です。'],
  ] as const)('with no reason on record, naming the status, in %s', async (lang, line) => {
    const card = (await buildDecisionCard(deps, id, 'consent:transferor'))!;
    const { slack, teams } = drawn(
      { ...card, outcome: { ...card.outcome!, closedBecause: null } },
      READERS[lang],
    );
    expect(slack).toContain(line);
    expect(teams).toContain(line);
  });
});
