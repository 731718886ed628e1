import { describe, expect, it } from 'vitest';
import { cardMessage, refusalCard } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { firstProblems } from '../../src/app/problems.js';
import { msg } from '../../src/i18n/index.js';
import { cardText } from '../support/bot-connector.js';
import { addBigOrder, blockLines, range } from '../support/big-order.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice, 'fr-FR');
/** Paul, a partner administering fr-a and be, reads English. */
const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);

/** Teams refuses a message over about 28 KB: what reaches the connector stays under it. */
const TEAMS_MAX_BYTES = 28 * 1024;

describe.each(surfaceDrivers)(
  'Teams: a long refusal fits in one card (%s)',
  { timeout: 120_000 },
  (driver) => {
    const world = useTeamsWorld(driver, [alice, paul]);

    it.each([
      {
        locale: 'fr',
        user: alice,
        salesOrder: '950',
        line: 'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:950 same-company:yes',
        refused: 'La demande n’a pas été créée\u00a0: 300 problèmes d’actifs.',
        more: '…et 250 de plus.',
      },
      {
        locale: 'en',
        user: paul,
        salesOrder: '951',
        line: 'new from:fr-a.example to:be.example/DEFAULT assets:SO:951 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
        refused: 'The request was not created: 300 asset problems.',
        more: '…and 250 more.',
      },
    ])(
      'a request refused for 300 assets names the first 50 with their reasons, then counts the rest ($locale)',
      async ({ user, salesOrder, line, refused, more }) => {
        await addBigOrder(world.database.db, { salesOrder, lines: 300, inUse: [] });
        await blockLines(world.database.db, salesOrder, range(1, 300));
        const before = world.connector.posted(user.chat).length;
        await world.teams.message(user, line);
        const answers = world.connector.posted(user.chat).slice(before);
        expect(answers).toHaveLength(1);
        expect(Buffer.byteLength(JSON.stringify(answers[0]!.body))).toBeLessThan(TEAMS_MAX_BYTES);
        const shown = cardText(world.connector.cards(user.chat).at(-1)!.card);
        expect(shown).toContain(refused);
        const named = shown.match(new RegExp(`SO:${salesOrder}-\\d+`, 'g')) ?? [];
        expect(new Set(named).size).toBe(50);
        expect(named).toContain(`SO:${salesOrder}-1`);
        expect(shown).toContain(more);
      },
    );
  },
);

describe('Teams: a refusal whose problems are long names as many as fit and counts the rest', () => {
  const problems = Array.from({ length: 300 }, (_, n) =>
    msg('core:problem.refNotFound', { ref: `SN:${n}-${'長'.repeat(280)}`, domain: 'fr-a.example' }),
  );
  const refusal = {
    code: 'ineligible' as const,
    message: msg('core:refusal.assetProblems', { count: 300 }),
    details: firstProblems(problems),
  };

  it.each([
    ['en', /…and ([\d,]+) more\./],
    ['ja', /…ほか([\d,]+)件。/],
  ] as const)('%s', (locale, more) => {
    const card = refusalCard(refusal, textsFor({ locale, timeZone: 'UTC' }));
    expect(Buffer.byteLength(JSON.stringify(cardMessage(card)))).toBeLessThan(TEAMS_MAX_BYTES);
    const shown = cardText(card);
    const named = new Set(shown.match(/SN:\d+-/g) ?? []).size;
    expect(named).toBeGreaterThan(0);
    expect(named).toBeLessThan(50);
    expect(named + Number(more.exec(shown)?.[1]?.replace(/,/g, ''))).toBe(300);
  });
});
