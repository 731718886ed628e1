import { describe, expect, it } from 'vitest';
import type { AssetList, AssetRow } from '../../src/app/asset-list.js';
import type { DecisionCardView } from '../../src/app/cards.js';
import type { MessageContent } from '../../src/app/delivery-port.js';
import type { AccountSummary, TransferRowView } from '../../src/app/queries.js';
import type { TransferView } from '../../src/app/views.js';
import { msg, type Locale } from '../../src/i18n/index.js';
import type { AdaptiveCard, CardElement } from '../../adapters/teams/render/card.js';
import { renderDecisionCard } from '../../adapters/teams/render/decision-card.js';
import {
  renderAccountsCard,
  renderAssetsCard,
  renderTransfersCard,
} from '../../adapters/teams/render/list-cards.js';
import { renderNoticeCard } from '../../adapters/teams/render/notice-card.js';
import { refusalText } from '../../adapters/teams/render/reply.js';
import { renderTransferCard } from '../../adapters/teams/render/transfer-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { destinationCard, sourceCard, type Drawing } from '../../adapters/teams/wizard/cards.js';
import { assetsCard } from '../../adapters/teams/wizard/asset-cards.js';
import { emptyCard } from '../../adapters/teams/wizard/state.js';
import { cardText } from '../support/bot-connector.js';
import {
  at,
  fill,
  JA,
  LINK,
  name200,
  REASON,
  rejectedTransfer,
  rejection,
} from '../support/worst-case-views.js';

/** How the reason starts on a card: as written, its brackets escaped. */
const REASON_START = `${JA} \\[click\\](https://evil.example)`;
/** Teams refuses a message over about 28 KB: a card, as sent, keeps a margin under it. */
const BUDGET = 24 * 1024;
const cardBytes = (card: AdaptiveCard) =>
  Buffer.byteLength(
    JSON.stringify({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    }),
  );
const LOCALES: Locale[] = ['en', 'fr', 'ja'];
const texts = (locale: Locale) => textsFor({ locale, timeZone: 'Asia/Tokyo' });
/** Every text block of a card, in order (containers and action sets opened). */
function blocks(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (element: unknown) => {
    if (Array.isArray(element)) element.forEach(walk);
    else if (element && typeof element === 'object') {
      const e = element as CardElement;
      if (e['type'] === 'TextBlock' && typeof e['text'] === 'string') out.push(e['text']);
      for (const [key, value] of Object.entries(e)) if (key !== 'data') walk(value);
    }
  };
  walk(card.body);
  return out;
}

/** Text that a card would draw as a live link or emphasis: the part typed by someone, unescaped. */
const live = /(?<!\\)\[click(?<!\\)\]\(https|(?<!\\)\*\*x(?<!\\)\*\*/;

function decisionCard(view: TransferView, open: boolean): DecisionCardView {
  return {
    decision: 'consent:transferee',
    transfer: view,
    open,
    actions: open ? { approve: 'consent_approve', reject: 'consent_reject' } : null,
    outcome: open
      ? null
      : { decision: 'rejected', by: name200('受取人'), at, reason: REASON, closedBecause: null },
  };
}

/** The item lines a card shows (each starts with its reference in bold) and the "N more" it adds. */
function itemsShown(card: AdaptiveCard): { shown: number; text: string } {
  const lines = blocks(card);
  return { shown: lines.filter((l) => l.startsWith('**SO:')).length, text: lines.join('\n') };
}

describe('Teams: what people typed is shown as typed on every card', () => {
  const en = texts('en');

  it('a rejection reason holding a link reaches the requester’s notice as text, not as a link', () => {
    const content: MessageContent = {
      text: msg('core:notify.statusChanged', { id: 'AT-7F3K9QJ2', status: 'cancelled' }),
      lines: [
        msg('core:notify.step', { from: 'awaiting_consent', to: 'cancelled' }),
        msg('core:cancel.consentRejected', { name: 'Ann **x**', role: 'transferee', reason: LINK }),
      ],
      transferId: 'AT-7F3K9QJ2',
    };
    const text = cardText(renderNoticeCard(content, en));
    expect(text).not.toMatch(live);
    expect(text).toContain(
      'Ann \\*\\*x\\*\\* (transferee) rejected the request: \\[click\\](https://evil.example)',
    );
    // The catalog's own words still come through: the status and role the message names.
    expect(text).toContain('Transaction AT-7F3K9QJ2 is now “Cancelled”.');
    expect(text).toContain(`${en.status('awaiting_consent')} → Cancelled`);
  });

  it('a refusal shows back what was typed as text, in a message or on a card', () => {
    const said = refusalText(
      {
        code: 'invalid',
        message: msg('core:refusal.tooLong', { fieldKey: 'common:field.reason', length: 2001, max: 2000 }),
        details: [
          msg('core:cancel.consentRejected', { name: 'Ann **x**', role: 'transferee', reason: LINK }),
        ],
      },
      en,
    );
    expect(said).not.toMatch(live);
    expect(said).toContain('\\[click\\](https://evil.example)');
    expect(said).toContain('Reason');
  });

  it('the transfer card shows the cancel reason, the screening’s author and reason, and item reasons as typed', () => {
    const view = rejectedTransfer(
      1,
      msg('core:cancel.consentRejected', { name: 'Bob', role: 'transferee', reason: LINK }),
    );
    view.cancelReason = msg('core:cancel.consentRejected', { name: 'Bob', role: 'transferee', reason: LINK });
    view.screening = { by: 'Eve **x**', byPerson: null, at, decision: 'rejected', reason: LINK };
    const card = renderTransferCard(view, en, { viewerUserId: 1 });
    const text = cardText(card);
    expect(text).not.toMatch(live);
    expect(text).toContain('Rejected by Eve \\*\\*x\\*\\*');
    expect(text).toContain(
      'Cancelled: Bob (transferee) rejected the request: \\[click\\](https://evil.example)',
    );
    // An item line keeps its own bold reference, and its reason is escaped once, not twice.
    const item = blocks(card).find((l) => l.startsWith('**SO:'));
    expect(item).toMatch(/^\*\*SO:104800000-1 · /);
    expect(item).toContain('rejected the request: \\[click\\](https://evil.example)');
    expect(item).not.toContain('\\\\');
  });

  it('a decided card closed for a reason someone typed shows it as typed', () => {
    const view = rejectedTransfer(1);
    const card = renderDecisionCard(
      {
        ...decisionCard(view, false),
        outcome: {
          decision: null,
          by: null,
          at: null,
          reason: null,
          closedBecause: msg('core:cancel.consentRejected', {
            name: 'Bob',
            role: 'transferee',
            reason: LINK,
          }),
        },
      },
      en,
      { refreshUserIds: [] },
    );
    expect(cardText(card)).not.toMatch(live);
    expect(cardText(card)).toContain('\\[click\\](https://evil.example)');
  });

  it('the request dialog says what was wrong with a search without turning it into a link', () => {
    const view = {
      step: 'source',
      asked: ['source'],
      soFar: ['source'],
      state: {},
      accounts: [],
      error: msg('core:journey.error.noAccountMatches', { query: LINK }),
    } as unknown as Drawing['view'];
    const card = sourceCard({ texts: en, view, data: emptyCard(), typed: {}, details: [] });
    expect(cardText(card)).not.toMatch(live);
    expect(cardText(card)).toContain('matches “\\[click\\](https://evil.example)”');
  });
});

describe('Teams: every card stays under what Teams accepts', () => {
  it.each(LOCALES)(
    'the transactions list (%s): 25 rows of the longest names and a switcher over 300 accounts fit',
    (locale) => {
      const rows: TransferRowView[] = Array.from({ length: 25 }, (_, i) => ({
        id: `AT-7F3K9Q${String(i).padStart(2, '0')}`,
        status: 'awaiting_consent',
        source: { domain: `src-${i}.example`, name: name200('Source SA') },
        destination: { domain: `dst-${i}.example`, name: name200('Dest SA') },
        createdAt: at,
        completedAt: null,
        completionPending: true,
        awaitingViewer: i % 2 === 0,
      }));
      const accounts = Array.from({ length: 300 }, (_, i) => ({
        domain: `client-${String(i).padStart(3, '0')}.example`,
        name: name200(`Client ${i}`),
      }));
      const card = renderTransfersCard(
        rows,
        texts(locale),
        { smartAccount: 'client-250.example' },
        { accounts, mayRequest: true },
        {
          older: 'list before:AT-7F3K9Q24',
        },
      );
      expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
      // Every row is there (the pages are the core's), and the current account stays offered.
      for (const r of rows) expect(cardText(card)).toContain(r.id);
      expect(JSON.stringify(card)).toContain('"value":"client-250.example"');
    },
  );

  it.each(LOCALES)(
    'a rejected 30-item transfer (2,000-character reason, 200-character names) in %s: the transfer and decision cards fit, tell the reason once for all items and count those not shown',
    (locale) => {
      const view = rejectedTransfer(30);
      const reader = texts(locale);
      const sameReason = reader.t('common:items.sameReason', {
        count: 30,
        result: reader.t('common:itemResult.not_transferred'),
        reason: '',
      });
      for (const card of [
        renderTransferCard(view, reader, { viewerUserId: 1 }),
        renderDecisionCard(decisionCard(view, true), reader, { refreshUserIds: ['29:tee'] }),
        renderDecisionCard(decisionCard(view, false), reader, { refreshUserIds: ['29:tee'] }),
      ]) {
        expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
        const { shown, text } = itemsShown(card);
        // The reason, stated once for the 30 items, its start as the person wrote it.
        const stated = text.split('\n').filter((line) => line.startsWith(sameReason));
        expect(stated).toHaveLength(1);
        expect(stated[0]).toContain(name200('受取人'));
        expect(stated[0]).toContain(REASON_START);
        expect(text).toContain(REASON_START);
        expect(text).toContain('…');
        expect(shown).toBeGreaterThan(0);
        if (shown < 30)
          expect(text).toContain(reader.t('teams:transfer.moreItems', { count: 30 - shown, id: view.id }));
      }
    },
  );

  it.each(LOCALES)('the notice of that rejection fits, and tells the reason (%s)', (locale) => {
    const content: MessageContent = {
      text: msg('core:notify.statusChanged', { id: 'AT-7F3K9QJ2', status: 'cancelled' }),
      lines: [msg('core:notify.step', { from: 'awaiting_consent', to: 'cancelled' }), rejection],
      transferId: 'AT-7F3K9QJ2',
    };
    const card = renderNoticeCard(content, texts(locale));
    expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
    expect(cardText(card)).toContain(REASON_START);
  });

  it.each(LOCALES)(
    'an asset list of maximum-length inventory values fits and says there are more (%s)',
    (locale) => {
      const rows: AssetRow[] = Array.from({ length: 25 }, (_, i) => ({
        kind: 'license',
        ref: `SO:${200000 + i}-1`,
        virtualAccount: 'MAXVA',
        pid: name200(`PID${i}`),
        description: fill(`${JA} ${LINK}`, 2000),
        quantity: 2147483647,
        licenseType: 'subscription',
        minorLines: Array.from({ length: 10 }, (_, j) => ({
          line: `1.${j + 1}`,
          pid: name200('minor'),
          quantity: 2147483647,
        })),
        webOrder: name200('WO'),
        subscriptionId: name200('SUB'),
        pak: name200('PAK'),
        eligibility: { eligible: true, warnings: [] },
      }));
      const list: AssetList = {
        smartAccount: { domain: 'src.example', name: name200('Source SA') },
        virtualAccount: 'MAXVA',
        tab: 'licenses',
        rows,
        more: false,
      };
      const reader = texts(locale);
      const card = renderAssetsCard(list, reader);
      expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
      expect(cardText(card)).toContain('SO:200000-1');
      expect(cardText(card)).toContain(reader.t('teams:assets.more'));
    },
  );

  it.each(LOCALES)('the request dialog’s asset step of 50 maximum-length assets fits (%s)', (locale) => {
    const rows: AssetRow[] = Array.from({ length: 50 }, (_, i) => ({
      kind: 'license',
      ref: `SO:${300000 + i}-1`,
      virtualAccount: 'MAXVA',
      pid: name200(`PID${i}`),
      description: fill(`${JA} ${LINK}`, 2000),
      quantity: 10,
      licenseType: 'subscription',
      minorLines: [],
      webOrder: name200('WO'),
      subscriptionId: name200('SUB'),
      pak: name200('PAK'),
      eligibility: { eligible: true, warnings: [] },
    }));
    const list = (tab: 'licenses' | 'devices'): AssetList => ({
      smartAccount: { domain: 'src.example', name: name200('Source SA') },
      virtualAccount: 'MAXVA',
      tab,
      rows: tab === 'licenses' ? rows : [],
      more: false,
    });
    const reader = texts(locale);
    const card = assetsCard({
      texts: reader,
      view: {
        step: 'assets',
        asked: [],
        soFar: [],
        state: { source: { smartAccount: 'src.example' } },
        assets: {
          licenses: list('licenses'),
          devices: list('devices'),
          eligible: { licenses: 50, devices: 0 },
        },
      } as unknown as Drawing['view'],
      data: { ...emptyCard(), tab: 'licenses' },
      typed: {},
      details: [],
    });
    expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
    expect(cardText(card)).toContain('SO:300000-1');
    expect(cardText(card)).toContain(reader.t('teams:assets.more'));
  });

  it.each(LOCALES)(
    'the accounts card lists a few Virtual Accounts per account, then how many more (%s)',
    (locale) => {
      const reader = texts(locale);
      const many: AccountSummary = {
        domain: 'dst.example',
        name: 'Destination',
        admin: true,
        licenses: 0,
        devices: 0,
        virtualAccounts: Array.from({ length: 500 }, (_, i) => ({
          name: `Zurich Lab ${String(i).padStart(3, '0')}`,
          onPrem: false,
          licenses: 1,
          devices: 1,
        })),
      };
      const one = renderAccountsCard([many], reader);
      expect(cardBytes(one)).toBeLessThanOrEqual(BUDGET);
      expect(cardText(one)).toContain('Zurich Lab 000');
      expect(cardText(one)).not.toContain('Zurich Lab 499');
      expect(cardText(one)).toContain(reader.t('teams:accounts.moreVirtualAccounts', { count: 490 }));

      const accounts: AccountSummary[] = Array.from({ length: 200 }, (_, i) => ({
        domain: `sa-${String(i).padStart(3, '0')}.example`,
        name: name200(`Filiale ${i}`),
        admin: true,
        licenses: 3,
        devices: 1,
        virtualAccounts: [
          { name: 'DEFAULT', onPrem: false, licenses: 2, devices: 1 },
          { name: name200('Lyon Lab'), onPrem: false, licenses: 1, devices: 0 },
        ],
      }));
      const card = renderAccountsCard(accounts, reader);
      expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
      const shown = blocks(card).filter((l) => /\.example[)）]/.test(l)).length;
      expect(cardText(card)).toContain(reader.t('core:accounts.more', { count: 200 - shown }));
    },
  );
});

describe('Teams: the request dialog offers a bounded number of choices', () => {
  const accounts = Array.from({ length: 200 }, (_, i) => ({
    domain: `sa-${String(i).padStart(3, '0')}.example`,
    name: `Filiale ${i} Lumière Réseaux Systèmes d’Information et Télécommunications`,
    isSource: i === 0,
    virtualAccounts: [
      { name: 'DEFAULT', onPrem: false, licenses: 2, devices: 1 },
      { name: 'Lyon Lab', onPrem: false, licenses: 1, devices: 0 },
    ],
  }));
  const wide = {
    domain: 'dst.example',
    name: 'Destination',
    isSource: false,
    virtualAccounts: Array.from({ length: 500 }, (_, i) => ({
      name: `Zurich Lab ${String(i).padStart(3, '0')}`,
      onPrem: false,
      licenses: 1,
      devices: 0,
    })),
  };
  const draw = (view: Record<string, unknown>, typed: Record<string, unknown> = {}): Drawing => ({
    texts: texts('ja'),
    view: { asked: [], soFar: [], state: {}, ...view } as unknown as Drawing['view'],
    data: emptyCard(),
    typed,
    details: [],
  });
  const choices = (card: AdaptiveCard, id: string) => {
    const set = blocksOf(card).find((e) => e['id'] === id);
    return (set?.['choices'] ?? []) as { title: string; value: string }[];
  };
  const more = (count: number) => texts('ja').t('teams:accounts.more', { count });

  it('the source card lists at most 50 of 600 choices, says how many more and to narrow the search', () => {
    const card = sourceCard(draw({ step: 'source', accounts }));
    expect(choices(card, 'source')).toHaveLength(50);
    expect(cardText(card)).toContain(more(550));
    expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
  });

  it('the destination card lists at most 50 Virtual Accounts, and its search finds the others', () => {
    const card = destinationCard(draw({ step: 'destination', accounts: [...accounts, wide] }));
    expect(choices(card, 'destination')).toHaveLength(50);
    expect(cardText(card)).toContain(more(398 + 500 - 50));
    const found = destinationCard(
      draw({ step: 'destination', accounts: [...accounts, wide] }, { accountQuery: 'Zurich Lab 250' }),
    );
    expect(choices(found, 'destination').map((c) => c.value)).toEqual(['dst.example/Zurich Lab 250']);
  });

  it('the Virtual Account step of an account with 500 lists 50 and says how many more', () => {
    const view = {
      step: 'destinationVirtualAccount',
      accounts: [wide],
      state: { destination: { smartAccount: 'dst.example' } },
    };
    const card = destinationCard(draw(view));
    expect(choices(card, 'destinationVirtualAccount')).toHaveLength(50);
    expect(cardText(card)).toContain(more(450));
    expect(cardBytes(card)).toBeLessThanOrEqual(BUDGET);
    const found = destinationCard(draw(view, { accountQuery: 'lab 499' }));
    expect(choices(found, 'destinationVirtualAccount').map((c) => c.value)).toEqual(['Zurich Lab 499']);
  });
});

/** Every element of a card's body, nested ones included. */
function blocksOf(card: AdaptiveCard): CardElement[] {
  const out: CardElement[] = [];
  const walk = (element: unknown) => {
    if (Array.isArray(element)) element.forEach(walk);
    else if (element && typeof element === 'object') {
      out.push(element as CardElement);
      for (const [key, value] of Object.entries(element))
        if (key !== 'data' && key !== 'choices') walk(value);
    }
  };
  walk(card.body);
  return out;
}
