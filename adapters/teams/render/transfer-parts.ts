import { historyActor, historyEntryText, historySummary } from '../../../src/app/history-text.js';
import { assetFacts } from '../../../src/app/asset-rows.js';
import type { CardTransferView } from '../../../src/app/cards.js';
import { sharedReasons } from '../../../src/app/item-reasons.js';
import { inShowingOrder, itemsLeftOut, leftOutNotes } from '../../../src/app/item-order.js';
import { historyWindow } from '../../../src/app/history-window.js';
import { consentsAsRead } from '../../../src/app/consents-read.js';
import type { HistoryView, ItemView, TransferView } from '../../../src/app/views.js';
import { brief, bullets, container, factSet, plain, textBlock, type CardElement } from './card.js';
import type { Texts } from './texts.js';
import { consentRoleLabelKey } from '../../../src/domain/permissions.js';
import { accountLabel, formatQuantity, personLabel } from '../../../src/i18n/index.js';

/** Items beyond this many are summarised: a card has a size limit (about 28 KB in Teams). */
export const MAX_ITEMS_SHOWN = 30;

function account(texts: Texts, domain: string, name: string, va: string | null): string {
  return plain(accountLabel(texts.reader.locale, { name, domain }, va));
}

function person(texts: Texts, p: { name: string; email: string } | null): string | null {
  if (!p) return null;
  return plain(personLabel(texts.reader.locale, p));
}

/** What a transfer is about, as facts: the part every card of a transfer shares. */
export function transferFacts(view: CardTransferView, texts: Texts): CardElement {
  return factSet([
    [texts.t('common:field.transactionId'), view.id],
    [texts.t('common:field.status'), texts.status(view.status)],
    [
      texts.t('common:field.source'),
      account(texts, view.source.domain, view.source.name, view.sourceVirtualAccount),
    ],
    [
      texts.t('common:field.destination'),
      account(texts, view.destination.domain, view.destination.name, view.destinationVirtualAccount),
    ],
    [
      texts.t('common:field.sourceLegalEntity'),
      view.source.legalEntity ? brief(view.source.legalEntity) : null,
    ],
    [
      texts.t('common:field.destinationLegalEntity'),
      view.destination.legalEntity ? brief(view.destination.legalEntity) : null,
    ],
    [
      texts.t('common:field.sameCompany'),
      texts.t(view.sameLegalEntity ? 'common:answer.yes' : 'common:answer.no'),
    ],
    [texts.t('common:field.requester'), person(texts, view.requester)],
    [texts.t('common:field.transferee'), person(texts, view.transferee)],
    [texts.t('common:field.transferor'), person(texts, view.namedTransferor)],
    [
      texts.t('common:field.transfereeLegalName'),
      view.transfereeLegalName ? brief(view.transfereeLegalName) : null,
    ],
    [texts.t('common:field.address'), view.transfereeAddress ? brief(view.transfereeAddress) : null],
    [texts.t('common:field.businessJustification'), view.justification ? brief(view.justification) : null],
    [
      texts.t('common:field.terms'),
      view.termsAccepted
        ? texts.t('common:terms.accepted', {
            name: plain(view.termsAccepted.by.name),
            at: texts.date(view.termsAccepted.at),
          })
        : null,
    ],
    [texts.t('common:field.transactionDate'), texts.date(view.createdAt)],
    [texts.t('common:field.completionDate'), view.completedAt ? texts.date(view.completedAt) : null],
  ]);
}

/** What an item is, in one line: its reference first, so a cut keeps it. */
function itemLine(item: ItemView, texts: Texts, withReason: boolean): string {
  const what = [
    item.ref,
    item.pid,
    item.quantity !== null && item.kind === 'license'
      ? formatQuantity(item.quantity, texts.reader.locale)
      : null,
    ...(item.facts ? assetFacts(texts.reader.locale, item.facts) : []),
  ]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join(' · ');
  const result = texts.t(`common:itemResult.${item.result}`);
  const reason = withReason && item.reason ? ` — ${texts.cardMsg(item.reason)}` : '';
  return `**${brief(what)}** — ${result}${reason}`;
}

/**
 * The items with their result and reason, and the warnings kept on the record: the first `limit` of
 * them (at most MAX_ITEMS_SHOWN) in showing order (the failed, then those with warnings), and how many
 * more the Excel file lists, with how many of those failed or carry warnings.
 */
export function itemList(view: CardTransferView, texts: Texts, limit = MAX_ITEMS_SHOWN): CardElement[] {
  const items = inShowingOrder(view.items);
  const shown = items.slice(0, Math.min(limit, MAX_ITEMS_SHOWN));
  const { shared, isShared } = sharedReasons(items);
  const out: CardElement[] = [
    textBlock(texts.t('teams:transfer.items', { count: items.length }), {
      weight: 'Bolder',
      spacing: 'Medium',
      separator: true,
    }),
    ...shared.map((group) =>
      textBlock(
        texts.t('common:items.sameReason', {
          count: group.count,
          result: texts.t(`common:itemResult.${group.result}`),
          reason: texts.cardMsg(group.reason),
        }),
        { spacing: 'Small' },
      ),
    ),
  ];
  for (const i of shown) {
    const own = !isShared(i);
    out.push(textBlock(itemLine(i, texts, own), { spacing: 'Small' }));
    const minor = i.facts?.minorLines ?? [];
    if (minor.length > 0)
      out.push(
        container(
          bullets(
            minor.map((m) =>
              plain(`${m.line} · ${m.pid} · ${formatQuantity(m.quantity, texts.reader.locale)}`),
            ),
          ),
          { spacing: 'None' },
        ),
      );
    if (i.warnings.length > 0) {
      out.push(container(bullets(i.warnings.map((w) => texts.cardMsg(w))), { spacing: 'None' }));
    }
  }
  if (items.length > shown.length) {
    out.push(
      textBlock(texts.t('teams:transfer.moreItems', { count: items.length - shown.length, id: view.id }), {
        isSubtle: true,
      }),
    );
    for (const note of leftOutNotes(itemsLeftOut(items, shown.length)))
      out.push(textBlock(texts.cardMsg(note), { spacing: 'None', weight: 'Bolder' }));
  }
  return out;
}

/** An unanswered consent: not answered yet, its person no longer able to answer, or no longer awaited. */
const UNANSWERED_KEYS = {
  awaited: 'teams:consent.pending',
  cannotAnswer: 'teams:consent.cannotAnswer',
  notAnswered: 'teams:consent.notAnswered',
} as const;

/** Who was asked to consent and what they answered. */
export function consentLines(view: CardTransferView, texts: Texts): CardElement[] {
  const consents = consentsAsRead(view);
  if (consents.length === 0) return [];
  const lines = consents.map((c) => {
    const role = texts.t(consentRoleLabelKey(c.role));
    if (c.decision === null)
      return texts.t(UNANSWERED_KEYS[c.unanswered ?? 'awaited'], {
        role,
        name: plain(c.person.name),
      });
    return texts.t(`teams:consent.${c.decision}`, {
      role,
      name: plain(c.decidedBy ?? c.person.name),
      at: texts.date(c.decidedAt),
      reason: c.reason ? brief(c.reason) : texts.t('common:value.none'),
    });
  });
  return [
    textBlock(texts.t('teams:transfer.consents'), { weight: 'Bolder', spacing: 'Medium', separator: true }),
    ...bullets(lines),
  ];
}

/**
 * The audit history as chat shows it, newest last: the request and the latest steps, with how many were
 * left out between them and where the full history is (see `historyWindow`).
 */
export function historyLines(view: TransferView, texts: Texts): CardElement[] {
  const line = (h: HistoryView) => {
    const text = historyEntryText(texts.reader.locale, h);
    const why = text.reason ? ` — ${brief(text.reason)}` : '';
    return `${texts.date(h.at)} · ${plain(historyActor(texts.reader.locale, text))} · ${plain(historySummary(texts.reader.locale, text))}${why}`;
  };
  const shown = historyWindow(view);
  const lines = [
    ...shown.first.map(line),
    ...(shown.note ? [`_${texts.cardMsg(shown.note)}_`] : []),
    ...shown.latest.map(line),
  ];
  return [
    textBlock(texts.t('common:field.history'), { weight: 'Bolder', spacing: 'Medium', separator: true }),
    ...bullets(lines),
  ];
}
