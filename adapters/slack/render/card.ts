import { askedRole, itemsDecidedOn, type DecisionCardView } from '../../../src/app/cards.js';
import { consentsAsRead } from '../../../src/app/consents-read.js';
import { labelled, statusDescription, statusLabel, tr, type Reader } from '../../../src/i18n/index.js';
import { ACTION, BLOCK } from '../ids.js';
import { actions, button, context, esc, fields, header, section, type Block } from './blocks.js';
import { consentLine, personText, routeFields } from './transfer.js';
import { itemSections, itemsHeading } from './transfer-items.js';
import { t, when } from './reader-text.js';

/** The block id of a card's buttons names the decision, so a click knows which card to redraw. */
export function cardBlockId(card: Pick<DecisionCardView, 'decision'>): string {
  return `${BLOCK.cardPrefix}${card.decision}`;
}

function outcomeLine(card: DecisionCardView, reader: Reader): string {
  const o = card.outcome;
  if (!o) return '';
  if (o.decision === 'approved' || o.decision === 'rejected') {
    const key =
      o.decision === 'approved'
        ? 'slack:card.approvedBy'
        : o.reason
          ? 'slack:card.rejectedByWithReason'
          : 'slack:card.rejectedBy';
    return `${o.decision === 'approved' ? ':white_check_mark:' : ':x:'} ${t(reader, key, {
      by: esc(o.by ?? ''),
      at: when(reader, o.at),
      reason: esc(o.reason ?? ''),
    })}`;
  }
  if (o.cannotAnswer) return `:lock: ${esc(tr(reader, o.cannotAnswer))}`;
  if (o.closedBecause)
    return `:lock: ${t(reader, 'common:card.closedBecause', { reason: esc(tr(reader, o.closedBecause)) })}`;
  return `:lock: ${t(reader, 'common:card.closed', { status: statusLabel(reader.locale, card.transfer.status) })}`;
}

/**
 * A consent or compliance card: the facts the decider needs, then Approve/Reject
 * while the decision is open, or who decided what and when once it is taken — never a live button
 * on a decided card.
 */
export function cardMessage(card: DecisionCardView, reader: Reader): { text: string; blocks: Block[] } {
  const view = card.transfer;
  const title =
    card.decision === 'compliance'
      ? t(reader, 'slack:card.complianceTitle', { id: view.id })
      : t(reader, 'slack:card.consentTitle', { id: view.id });
  const role = askedRole(card);
  const intro =
    role === null
      ? t(reader, 'slack:card.complianceIntro', { requester: esc(view.requester.name) })
      : // The catalog names the role inside its own sentence (lower case, its own grammar).
        t(reader, 'slack:card.consentIntro', { requester: esc(view.requester.name), role });
  const items = itemsDecidedOn(card);
  const blocks: Block[] = [
    header(title),
    section(intro),
    fields([
      ...routeFields(view, reader),
      [t(reader, 'common:field.requester'), personText(view.requester, reader)],
      [t(reader, 'common:field.transferee'), personText(view.transferee, reader)],
      [t(reader, 'common:field.transfereeLegalName'), esc(view.transfereeLegalName ?? '—')],
      [t(reader, 'common:field.address'), esc(view.transfereeAddress ?? '—')],
      [t(reader, 'common:field.businessJustification'), esc(view.justification ?? '—')],
      [t(reader, 'common:field.transactionDate'), when(reader, view.createdAt)],
    ]),
    ...(view.termsAccepted
      ? [
          context([
            esc(
              t(reader, 'common:terms.accepted', {
                name: view.termsAccepted.by.name,
                at: when(reader, view.termsAccepted.at),
              }),
            ),
            esc(t(reader, 'common:terms.text')),
          ]),
        ]
      : []),
    section(itemsHeading(reader, items.length)),
    ...itemSections(items, reader, 15, 3),
    // Compliance screens a transfer its parties have consented to: who did, in which role, and when.
    ...(role === null && view.consents.length > 0
      ? [
          context(
            consentsAsRead(view)
              .slice(0, 10)
              .map((consent) => consentLine(consent, reader)),
          ),
        ]
      : []),
    context([
      labelled(
        reader.locale,
        t(reader, 'common:field.status'),
        `*${statusLabel(reader.locale, view.status)}*`,
      ),
      esc(statusDescription(reader.locale, view.status)),
    ]),
  ];
  if (card.open && card.actions) {
    blocks.push(
      actions(cardBlockId(card), [
        button(t(reader, 'common:button.approve'), card.actions.approve, view.id, 'primary'),
        button(t(reader, 'common:button.reject'), card.actions.reject, view.id, 'danger'),
        // The Excel file lists every item the card has no room for, as its text says.
        button(t(reader, 'common:button.download'), ACTION.download, view.id),
      ]),
    );
  } else {
    blocks.push(section(outcomeLine(card, reader)));
    blocks.push(
      actions(BLOCK.transfer, [
        button(t(reader, 'common:button.viewTransaction'), ACTION.view, view.id),
        button(t(reader, 'common:button.download'), ACTION.download, view.id),
      ]),
    );
  }
  return { text: `${title} — ${statusLabel(reader.locale, view.status)}`, blocks };
}
