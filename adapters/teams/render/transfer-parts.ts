import { actorText } from '../../../src/app/history-text.js';
import type { ItemView, TransferView } from '../../../src/app/views.js';
import { bullets, container, factSet, plain, textBlock, type CardElement } from './card.js';
import type { Texts } from './texts.js';
import { consentRoleLabelKey } from '../../../src/domain/permissions.js';

/** Items beyond this many are summarised: a card has a size limit (about 28 KB in Teams). */
export const MAX_ITEMS_SHOWN = 30;
export const MAX_HISTORY_SHOWN = 12;

function account(domain: string, name: string, va: string | null): string {
  const label = name ? `${plain(name)} (${plain(domain)})` : plain(domain);
  return va ? `${label} / ${plain(va)}` : label;
}

function person(p: { name: string; email: string } | null): string | null {
  if (!p) return null;
  return p.email ? `${plain(p.name)} (${plain(p.email)})` : plain(p.name);
}

/** What a transfer is about, as facts: the part every card of a transfer shares. */
export function transferFacts(v: TransferView, x: Texts): CardElement {
  return factSet([
    [x.t('common:field.transactionId'), v.id],
    [x.t('common:field.status'), x.status(v.status)],
    [x.t('common:field.source'), account(v.source.domain, v.source.name, v.sourceVirtualAccount)],
    [
      x.t('common:field.destination'),
      account(v.destination.domain, v.destination.name, v.destinationVirtualAccount),
    ],
    [x.t('common:field.sameCompany'), x.t(v.sameLegalEntity ? 'common:answer.yes' : 'common:answer.no')],
    [x.t('common:field.requester'), person(v.requester)],
    [x.t('common:field.transferee'), person(v.transferee)],
    [x.t('common:field.transfereeLegalName'), v.transfereeLegalName ? plain(v.transfereeLegalName) : null],
    [x.t('common:field.address'), v.transfereeAddress ? plain(v.transfereeAddress) : null],
    [x.t('common:field.businessJustification'), v.justification ? plain(v.justification) : null],
    [x.t('common:field.transactionDate'), x.date(v.createdAt)],
    [x.t('common:field.completionDate'), v.completedAt ? x.date(v.completedAt) : null],
  ]);
}

function itemLine(i: ItemView, x: Texts): string {
  const what = [i.ref, i.pid, i.quantity !== null && i.kind === 'license' ? `× ${i.quantity}` : null]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map(plain)
    .join(' · ');
  const result = x.t(`common:itemResult.${i.result}`);
  const reason = i.reason ? ` — ${x.msg(i.reason)}` : '';
  return `**${what}** — ${result}${reason}`;
}

/** The items with their result and reason, and the warnings kept on the record. */
export function itemList(v: TransferView, x: Texts): CardElement[] {
  const shown = v.items.slice(0, MAX_ITEMS_SHOWN);
  const out: CardElement[] = [
    textBlock(x.t('teams:transfer.items', { count: v.items.length }), {
      weight: 'Bolder',
      spacing: 'Medium',
      separator: true,
    }),
  ];
  for (const i of shown) {
    out.push(textBlock(itemLine(i, x), { spacing: 'Small' }));
    if (i.warnings.length > 0) {
      out.push(container(bullets(i.warnings.map((w) => x.msg(w))), { spacing: 'None' }));
    }
  }
  if (v.items.length > shown.length) {
    out.push(
      textBlock(x.t('teams:transfer.moreItems', { count: v.items.length - shown.length, id: v.id }), {
        isSubtle: true,
      }),
    );
  }
  return out;
}

/** Who was asked to consent and what they answered. */
export function consentLines(v: TransferView, x: Texts): CardElement[] {
  if (v.consents.length === 0) return [];
  const lines = v.consents.map((c) => {
    const role = x.t(consentRoleLabelKey(c.role));
    if (c.decision === null) return x.t('teams:consent.pending', { role, name: plain(c.person.name) });
    return x.t(`teams:consent.${c.decision}`, {
      role,
      name: plain(c.decidedBy ?? c.person.name),
      at: x.date(c.decidedAt),
      reason: c.reason ? plain(c.reason) : x.t('common:value.none'),
    });
  });
  return [
    textBlock(x.t('teams:transfer.consents'), { weight: 'Bolder', spacing: 'Medium', separator: true }),
    ...bullets(lines),
  ];
}

/** The last steps of the audit history, newest last, as the record shows them. */
export function historyLines(v: TransferView, x: Texts): CardElement[] {
  const recent = v.history.slice(-MAX_HISTORY_SHOWN);
  const lines = recent.map((h) => {
    const change =
      h.from && h.to ? `${x.status(h.from)} → ${x.status(h.to)}` : h.to ? x.status(h.to) : h.action;
    const why = h.reasonMsg ? ` — ${x.msg(h.reasonMsg)}` : h.reason ? ` — ${plain(h.reason)}` : '';
    return `${x.date(h.at)} · ${plain(actorText(x.locale, h.actor))} · ${change}${why}`;
  });
  return [
    textBlock(x.t('common:field.history'), { weight: 'Bolder', spacing: 'Medium', separator: true }),
    ...bullets(lines),
  ];
}
