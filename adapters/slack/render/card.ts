import type { DecisionCardView } from '../../../src/app/cards.js';
import { labelled, statusLabel, tr } from '../../../src/i18n/index.js';
import { ACTION, BLOCK } from '../ids.js';
import {
  actions,
  button,
  chunkedSections,
  context,
  esc,
  fields,
  header,
  section,
  type Block,
} from './blocks.js';
import { itemLines, routeFields, t, when, type RenderContext } from './transfer.js';

/** The block id of a card's buttons names the decision, so a click knows which card to redraw. */
export function cardBlockId(card: Pick<DecisionCardView, 'decision'>): string {
  return `${BLOCK.cardPrefix}${card.decision}`;
}

function outcomeLine(card: DecisionCardView, r: RenderContext): string {
  const o = card.outcome;
  if (!o) return '';
  if (o.decision === 'approved' || o.decision === 'rejected') {
    const key =
      o.decision === 'approved'
        ? 'slack:card.approvedBy'
        : o.reason
          ? 'slack:card.rejectedByWithReason'
          : 'slack:card.rejectedBy';
    return `${o.decision === 'approved' ? ':white_check_mark:' : ':x:'} ${t(r, key, {
      by: esc(o.by ?? ''),
      at: when(r, o.at),
      reason: esc(o.reason ?? ''),
    })}`;
  }
  if (o.closedBecause)
    return `:lock: ${t(r, 'slack:card.closedBecause', { reason: esc(tr(r.locale, o.closedBecause)) })}`;
  return `:lock: ${t(r, 'slack:card.closed', { status: statusLabel(r.locale, card.transfer.status) })}`;
}

/**
 * A consent or compliance card (INTERFACES §5): the facts the decider needs, then Approve/Reject
 * while the decision is open, or who decided what and when once it is taken — never a live button
 * on a decided card.
 */
export function cardMessage(card: DecisionCardView, r: RenderContext): { text: string; blocks: Block[] } {
  const v = card.transfer;
  const title =
    card.decision === 'compliance'
      ? t(r, 'slack:card.complianceTitle', { id: v.id })
      : t(r, 'slack:card.consentTitle', { id: v.id });
  const intro =
    card.decision === 'compliance'
      ? t(r, 'slack:card.complianceIntro', { requester: esc(v.requester.name) })
      : t(r, 'slack:card.consentIntro', {
          requester: esc(v.requester.name),
          // The catalog names the role inside its own sentence (lower case, its own grammar).
          role: card.decision === 'consent:transferor' ? 'transferor' : 'transferee',
        });
  // The decider is asked about what will move: items dropped at validation are left out.
  const items = v.items.filter((i) => i.result !== 'excluded');
  const blocks: Block[] = [
    header(title),
    section(intro),
    fields([
      ...routeFields(v, r),
      [t(r, 'common:field.requester'), `${esc(v.requester.name)} (${esc(v.requester.email)})`],
      [
        t(r, 'common:field.transferee'),
        v.transferee ? `${esc(v.transferee.name)} (${esc(v.transferee.email)})` : '—',
      ],
      [t(r, 'common:field.transfereeLegalName'), esc(v.transfereeLegalName ?? '—')],
      [t(r, 'common:field.address'), esc(v.transfereeAddress ?? '—')],
      [t(r, 'common:field.businessJustification'), esc(v.justification ?? '—')],
      [t(r, 'common:field.transactionDate'), when(r, v.createdAt)],
    ]),
    section(`*${t(r, 'common:field.items')}* (${items.length})`),
    ...chunkedSections(itemLines(items, r, 15)).slice(0, 3),
    context([labelled(r.locale, t(r, 'common:field.status'), `*${statusLabel(r.locale, v.status)}*`)]),
  ];
  if (card.open && card.actions) {
    blocks.push(
      actions(cardBlockId(card), [
        button(t(r, 'common:button.approve'), card.actions.approve, v.id, 'primary'),
        button(t(r, 'common:button.reject'), card.actions.reject, v.id, 'danger'),
      ]),
    );
  } else {
    blocks.push(section(outcomeLine(card, r)));
    blocks.push(actions(BLOCK.transfer, [button(t(r, 'common:button.viewTransaction'), ACTION.view, v.id)]));
  }
  return { text: `${title} — ${statusLabel(r.locale, v.status)}`, blocks };
}
