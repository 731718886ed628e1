import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as consoleReply } from '../../adapters/console/render.js';
import { renderReply as slackReply } from '../../adapters/slack/render/reply.js';
import { renderReply as teamsReply } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { cancelTransfer } from '../../src/app/actions.js';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseCommand } from '../../src/commands/grammar.js';
import type { Locale, Reader } from '../../src/i18n/index.js';
import type { TestDatabase } from '../support/db.js';
import { toParis } from '../support/transfers.js';
import { actorIn, seededDatabase, type testDeps } from '../support/world.js';

/** What each surface draws for a page of the landing page with no row. */
function drawn(reply: Reply, locale: Locale): string[] {
  if (reply.kind !== 'transfers') throw new Error(`not a list: ${reply.kind}`);
  const reader: Reader = { locale, timeZone: 'Europe/Paris' };
  return [
    consoleReply(reader, reply).text,
    JSON.stringify(slackReply(reply, reader).blocks),
    JSON.stringify(teamsReply(reply, textsFor(reader), 1)),
  ];
}

describe('an empty landing page', () => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let only = '';

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase('pglite'));
    const alice = await actorIn(deps, 'alice');
    const requested = await requestTransfer(deps, alice, toParis('SO:100-1'));
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    only = requested.value.state.id;
    const cancelled = await cancelTransfer(deps, alice, only);
    if (!cancelled.ok) throw new Error(cancelled.refusal.message.key);
  });
  afterAll(() => database.dispose());

  const list = async (line: string) => {
    const parsed = parseCommand(line);
    if (!parsed.ok) throw new Error(line);
    return dispatch(deps, await actorIn(deps, 'alice'), parsed.command);
  };

  it.each([
    ['en', 'No transaction has the status “Transfer Completed”.'],
    ['fr', 'Aucune transaction n’a le statut «\u00a0Transfert terminé\u00a0».'],
    ['ja', 'ステータスが「転送完了」のトランザクションはありません。'],
  ] as const)(
    'filtered by a status says no transaction has that status (%s), on every surface',
    async (locale, text) => {
      for (const surface of drawn(await list('list fr-a.example status:transfer_completed'), locale)) {
        expect(surface).toContain(text);
        expect(surface).not.toMatch(/yet|pour l’instant/);
      }
    },
  );

  it('without a filter on an account with none says there is no transaction yet', async () => {
    for (const surface of drawn(await list('list be.example'), 'en'))
      expect(surface).toContain('No transaction yet.');
  });

  it.each([
    ['en', 'No transaction on this page.'],
    ['fr', 'Aucune transaction sur cette page.'],
    ['ja', 'このページにトランザクションはありません。'],
  ] as const)(
    'a page past the newest or the oldest says that page is empty, not that there is none (%s)',
    async (locale, text) => {
      for (const line of [`list fr-a.example after:${only}`, `list fr-a.example before:${only}`])
        for (const surface of drawn(await list(line), locale)) {
          expect(surface).toContain(text);
          expect(surface).not.toMatch(/yet|pour l’instant|まだ/);
        }
    },
  );
});
