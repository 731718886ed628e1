import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as consoleReply } from '../../adapters/console/render.js';
import { renderReply as slackReply } from '../../adapters/slack/render/reply.js';
import { renderReply as teamsReply } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import { historySheet } from '../../src/app/export-sheets.js';
import type { Surface } from '../../src/domain/types.js';
import { translate } from '../../src/i18n/index.js';
import { cardText } from '../support/bot-connector.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { slackTexts } from '../support/typography.js';
import { actorIn, EMAILS, seededDatabase, type Name, type testDeps } from '../support/world.js';
import { READERS } from '../support/readers.js';

/** How each reader reads the step: who did it, on which surface, and why. */
const READ = {
  en: {
    where: 'Microsoft Teams',
    why: 'Bob Peeters (transferee) can no longer consent: Ada Admin took away their role “Smart Account admin” on that Smart Account.',
  },
  fr: {
    where: 'Microsoft Teams',
    why: 'Bob Peeters (cessionnaire) ne peut plus donner son consentement\u00a0: Ada Admin lui a retiré le rôle «\u00a0Administrateur du compte Smart\u00a0» sur ce compte Smart.',
  },
  ja: {
    where: 'Microsoft Teams',
    why: '譲受人（転送先）の Bob Peeters さんは同意できなくなりました：Ada Admin さんにより、このスマートアカウントの「スマートアカウント管理者」のロールが取り消されました。',
  },
} as const;

/**
 * A bot admin takes away the admin role a pending consent needed: the transfer it cancels is on record
 * as cancelled by that bot admin, on the surface they used, saying the role was taken away — in `show`,
 * the Slack and Teams views and the Excel history, in English, French and Japanese.
 */
describe.each(drivers)('a transfer cancelled as a bot admin takes a role away (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  const type = async (name: Name, line: string, surface: Surface): Promise<Reply> => {
    const parsed = parseCommand(line);
    if (!parsed.ok) throw new Error(`${line}: ${parsed.error.key}`);
    return dispatch(deps, await actorIn(deps, name, surface), parsed.command);
  };

  it('records the bot admin, the surface they used and the role taken away, on every surface and language', async () => {
    const id = await awaitingConsent(deps, 'SO:104-1');
    expect((await type('ada', 'revoke bob@be.example admin be.example', 'teams')).kind).toBe('done');
    expect(await statusOf(database.db, id)).toBe('cancelled');

    const ada = await actorIn(deps, 'ada');
    const [row] = await historyOf(database.db, id, 'consent.lost');
    expect([row?.actorId, row?.actor, row?.surface]).toEqual([ada.userId, EMAILS.ada, 'teams']);

    const shown = await type('alice', `show ${id}`, 'console');
    if (shown.kind !== 'transfer') throw new Error(`show answered ${shown.kind}`);
    for (const [locale, reader] of Object.entries(READERS)) {
      const { where, why } = READ[locale as keyof typeof READ];
      const drawn = {
        show: consoleReply(reader, shown).text,
        slack: slackTexts(slackReply(shown, reader)),
        teams: cardText(teamsReply(shown, textsFor(reader), 0)),
      };
      for (const [surface, text] of Object.entries(drawn)) {
        // The history line, beside the reason the transfer itself shows.
        const lines = text.split('\n').filter((l) => l.includes(why));
        expect(
          lines.filter((l) => l.includes(EMAILS.ada)),
          `${surface} in ${locale}`,
        ).toHaveLength(1);
      }
      expect(drawn.show).toContain(translate(reader.locale, 'common:history.by', { who: EMAILS.ada, where }));

      const sheet = historySheet({ reader, exportedAt: new Date(), exportedBy: null }, shown.view);
      const rows = typeof sheet.rows === 'function' ? [] : sheet.rows;
      const cancelled = rows.find((r) => r[6] === why);
      expect(cancelled?.slice(1, 3), `Excel in ${locale}`).toEqual([EMAILS.ada, where]);
    }
  });
});
