import { describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/console/render.js';
import type { Reply } from '../../src/app/dispatch.js';
import type { TransferRowView } from '../../src/app/queries.js';
import type { Reader } from '../../src/i18n/index.js';

const row = (id: string, awaitingViewer: boolean): TransferRowView => ({
  id,
  status: 'awaiting_consent',
  source: { domain: 'fr-a.example', name: 'Lumière Lyon' },
  destination: { domain: 'be.example', name: 'Lumière Belgique' },
  createdAt: new Date('2026-12-01T09:00:00Z'),
  completedAt: null,
  completionPending: true,
  awaitingViewer,
});

const list = (...rows: TransferRowView[]): Reply => ({ kind: 'transfers', rows });
const reader = (locale: Reader['locale']): Reader => ({ locale, timeZone: 'Europe/Paris' });

describe('the console list explains its ★', () => {
  it.each([
    ['en', '★ waiting for your consent or compliance decision'],
    ['fr', '★ en attente de votre consentement ou de votre décision de contrôle de conformité'],
    ['ja', '★ 同意またはコンプライアンス審査のご回答をお待ちしています'],
  ] as const)('under a list with a row waiting for the reader (%s)', (locale, legend) => {
    const lines = renderReply(
      reader(locale),
      list(row('AT-AAAAAAAA', false), row('AT-BBBBBBBB', true)),
    ).text.split('\n');
    expect(lines.filter((line) => line.includes('★'))).toHaveLength(2);
    expect(lines.at(-1)).toBe(legend);
  });

  it('says nothing of it when no row is marked', () => {
    const text = renderReply(reader('en'), list(row('AT-AAAAAAAA', false))).text;
    expect(text).not.toContain('★');
  });
});
