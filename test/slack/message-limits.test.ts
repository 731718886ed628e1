import { describe, expect, it } from 'vitest';
import { cardMessage } from '../../adapters/slack/render/card.js';
import { statusMessage } from '../../adapters/slack/render/message.js';
import { noticeMessage, refusalMessage } from '../../adapters/slack/render/reply.js';
import { consentLine, transferBlocks } from '../../adapters/slack/render/transfer.js';
import type { DecisionCardView } from '../../src/app/cards.js';
import { msg, type Locale } from '../../src/i18n/index.js';
import { at, JA, name200, rejectedTransfer } from '../support/worst-case-views.js';

type Block = { type: string; text?: { text: string } };

const LOCALES: Locale[] = ['en', 'fr', 'ja'];
const reader = (locale: Locale) => ({ locale, timeZone: 'Asia/Tokyo' });
const texts = (blocks: unknown[]) => (blocks as Block[]).flatMap((b) => (b.text ? [b.text.text] : []));
/** A rejection's reason of 1,500 characters, ending every item of the transfer. */
const WHY = `FREEZE-Q3: ${'Budget frozen until Q3, see the finance memo. '.repeat(32).trim()}`;
const rejected = (items: number) =>
  rejectedTransfer(
    items,
    msg('core:cancel.consentRejected', { name: name200(JA), role: 'transferee', reason: WHY }),
  );
/** How many times the reason is written. */
const timesTold = (text: string) => text.split('FREEZE-Q3').length - 1;
/** The item references shown, and how many more the message says there are. */
function itemsTold(text: string): { shown: number; more: number } {
  const shown = new Set(text.match(/SO:1048\d{5}-1/g) ?? []).size;
  const more = /(?:…and|…et|ほか|他)\D*?([\d,  ]+)/u.exec(text);
  return { shown, more: more ? Number(more[1]!.replace(/\D/g, '')) : 0 };
}

/** Within Block Kit's limits, the reason said once (and once more where the cancellation says why), every item shown or counted. */
function tellsEveryItemOnce(blocks: unknown[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const text of texts(blocks)) expect(text.length).toBeLessThanOrEqual(3000);
  const all = texts(blocks).join('\n');
  expect(timesTold(all)).toBeGreaterThan(0);
  expect(timesTold(all)).toBeLessThanOrEqual(2);
  const { shown, more } = itemsTold(all);
  expect(shown).toBeGreaterThan(0);
  expect(shown + more).toBe(20);
}

describe('Slack: a rejected transfer with long texts stays within Block Kit and tells every item', () => {
  it.each(LOCALES)('the transfer view (%s)', (locale) => {
    tellsEveryItemOnce(transferBlocks(rejected(20), reader(locale)));
  });

  it.each(LOCALES)('the decided consent card (%s)', (locale) => {
    const card: DecisionCardView = {
      decision: 'consent:transferee',
      transfer: rejected(20),
      open: false,
      actions: null,
      outcome: { decision: 'rejected', by: name200(JA), at, reason: WHY, closedBecause: null },
    };
    tellsEveryItemOnce(cardMessage(card, reader(locale)).blocks);
  });
});

describe('Slack: the text a notification shows is mrkdwn too', () => {
  const hostile = msg('core:cancel.consentRejected', {
    name: '<!channel>',
    role: 'transferee',
    reason: '<https://evil.example|Approve here>',
  });

  it('shows a name or a reason in it as written, never as a mention or a link', () => {
    for (const shown of [
      statusMessage({ text: hostile, lines: [], transferId: 'AT-7F3K9QJ2' }, 'en'),
      noticeMessage(hostile, reader('en')),
      refusalMessage({ code: 'invalid', message: hostile }, reader('en')),
    ]) {
      expect(shown.text).not.toMatch(/<!channel>|<https:/);
      expect(shown.text).toContain(
        '&lt;!channel&gt; (transferee) rejected the request: &lt;https://evil.example|Approve here&gt;',
      );
    }
  });
});

describe('Slack: a decision card in the reader’s own punctuation', () => {
  it('counts its items as the reader writes a count, and names people as the transfer view does', () => {
    const card: DecisionCardView = {
      decision: 'consent:transferee',
      transfer: rejected(2),
      open: false,
      actions: null,
      outcome: { decision: 'rejected', by: 'B', at, reason: 'No', closedBecause: null },
    };
    const all = (locale: Locale) => texts(cardMessage(card, reader(locale)).blocks).join('\n');
    expect(all('ja')).toContain('*アイテム*（2）');
    expect(all('en')).toContain('*Items* (2)');
    expect(all('fr')).toContain('*Éléments* (2)');
    // The requester with a link to write to them, as `show` gives them.
    expect(JSON.stringify(cardMessage(card, reader('en')).blocks)).toContain(
      '<mailto:p1@dst.example|p1@dst.example>',
    );
  });

  it('groups the digits of a count of thousands of items, as the reader writes a number', () => {
    const many = transferBlocks(rejected(1966), reader('ja'));
    expect(texts(many).join('\n')).toContain('*アイテム*（1,966）');
    const fr = texts(transferBlocks(rejected(3915), reader('fr'))).join('\n');
    expect(fr).toContain('*Éléments* (3\u202f915)');
  });
});

describe('Slack: a decision line says its reason only when one was given', () => {
  const rejectedBy = (reason: string | null) =>
    consentLine(
      {
        role: 'transferee',
        person: { id: 2, name: '佐藤 花子', email: 'hanako@example.jp' },
        decision: 'rejected',
        decidedBy: '佐藤 花子',
        decidedByPerson: null,
        decidedAt: at,
        reason,
        mayAnswer: true,
        unanswered: null,
      },
      reader('ja'),
    );
  it('no dangling dash without a reason', () => {
    expect(rejectedBy(null)).not.toMatch(/—\s*$/u);
    expect(rejectedBy(null)).toContain('却下');
    expect(rejectedBy('予算の都合')).toMatch(/却下 — 予算の都合$/u);
  });
});
