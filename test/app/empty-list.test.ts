import { describe, expect, it } from 'vitest';
import { renderReply as consoleReply } from '../../adapters/console/render.js';
import { renderReply as slackReply } from '../../adapters/slack/render/reply.js';
import { renderReply as teamsReply } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import type { Reply } from '../../src/app/dispatch.js';
import type { Locale, Reader } from '../../src/i18n/index.js';

/** What each surface draws for a page of the landing page with no row. */
function drawn(reply: Extract<Reply, { kind: 'transfers' }>, locale: Locale): string[] {
  const reader: Reader = { locale, timeZone: 'Europe/Paris' };
  return [
    consoleReply(reader, reply).text,
    JSON.stringify(slackReply(reply, reader).blocks),
    JSON.stringify(teamsReply(reply, textsFor(reader), 1)),
  ];
}

describe('an empty landing page', () => {
  const filtered: Extract<Reply, { kind: 'transfers' }> = {
    kind: 'transfers',
    rows: [],
    smartAccount: 'lumiere-reseaux.fr',
    status: 'transfer_completed',
  };

  it.each([
    ['en', 'No transaction has the status “Transfer Completed”.'],
    ['fr', 'Aucune transaction n’a le statut «\u00a0Transfert terminé\u00a0».'],
    ['ja', 'ステータスが「転送完了」のトランザクションはありません。'],
  ] as const)(
    'filtered by a status says no transaction has that status (%s), on every surface',
    (locale, text) => {
      for (const surface of drawn(filtered, locale)) {
        expect(surface).toContain(text);
        expect(surface).not.toMatch(/yet|pour l’instant/);
      }
    },
  );

  it('without a filter says there is no transaction yet', () => {
    const all: Extract<Reply, { kind: 'transfers' }> = {
      kind: 'transfers',
      rows: [],
      smartAccount: 'lumiere-reseaux.fr',
    };
    for (const surface of drawn(all, 'en')) expect(surface).toContain('No transaction yet.');
  });
});
