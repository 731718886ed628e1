import { inShowingOrder, itemsLeftOut, leftOutNotes } from '../../src/app/item-order.js';
import { askedRole, itemsDecidedOn, type DecisionCardView } from '../../src/app/cards.js';
import { heading, statusDescription, statusLabel, tr, type Reader } from '../../src/i18n/index.js';
import type { Button, Rendered } from './render.js';
import {
  consentLines,
  decided,
  field,
  itemLines,
  legalEntityLines,
  requestFormLines,
  t,
  withReason,
} from './render-parts.js';

/** Items a card lists in the inbox; `show` lists every one. */
export const CARD_ITEMS_SHOWN = 30;

/**
 * A decision card in the inbox: the role the reader is asked in, the facts, what will move (each item's
 * details and warnings), who has answered so far, and live buttons only while the decision is open.
 */
export function renderCard(reader: Reader, card: DecisionCardView): Rendered {
  const view = card.transfer;
  const role = askedRole(card);
  const title =
    role === null
      ? t(reader, 'console:card.compliance', { id: view.id })
      : t(reader, 'console:card.consent', { id: view.id, role });
  const lines = [
    title,
    `  ${statusLabel(reader.locale, view.status)} — ${statusDescription(reader.locale, view.status)}`,
    `  ${view.source.domain} → ${view.destination.domain}/${view.destinationVirtualAccount} · ${view.requester.name}`,
    ...legalEntityLines(reader, view),
  ];
  if (view.justification)
    lines.push(`  ${field(reader, 'common:field.businessJustification', view.justification)}`);
  lines.push(...requestFormLines(reader, view));
  lines.push(...consentLines(reader, view));
  const items = inShowingOrder(itemsDecidedOn(card));
  lines.push(
    `  ${heading(reader.locale, t(reader, 'common:format.counted', { label: t(reader, 'common:field.items'), count: items.length }))}`,
  );
  for (const item of items.slice(0, CARD_ITEMS_SHOWN)) lines.push(...itemLines(reader, item));
  if (items.length > CARD_ITEMS_SHOWN) {
    lines.push(
      `    ${t(reader, 'console:card.moreItems', { count: items.length - CARD_ITEMS_SHOWN, id: view.id })}`,
    );
    for (const note of leftOutNotes(itemsLeftOut(items, CARD_ITEMS_SHOWN)))
      lines.push(`    ${tr(reader, note)}`);
  }
  if (!card.open && card.outcome) {
    const o = card.outcome;
    if (o.decision)
      lines.push(
        `  ${o.decision === 'approved' ? '✔' : '✖'} ${withReason(decided(reader, o.decision, o.by, o.at), o.reason)}`,
      );
    else if (o.cannotAnswer) lines.push(`  ✖ ${tr(reader, o.cannotAnswer)}`);
    else if (o.closedBecause) lines.push(`  ${tr(reader, o.closedBecause)}`);
    else lines.push(`  ${statusLabel(reader.locale, view.status)}`);
  }
  const buttons: Button[] = [];
  if (card.open) {
    const verb = role === null ? 'screen' : 'consent';
    buttons.push({ label: t(reader, 'common:button.approve'), command: `${verb} ${view.id} approve` });
    buttons.push({
      label: t(reader, 'common:button.reject'),
      command: `${verb} ${view.id} reject`,
      reason: verb === 'screen' ? 'required' : 'optional',
    });
  }
  buttons.push({ label: t(reader, 'common:button.view'), command: `show ${view.id}` });
  buttons.push({ label: t(reader, 'common:button.download'), command: `export ${view.id}` });
  return { text: lines.join('\n'), buttons };
}
