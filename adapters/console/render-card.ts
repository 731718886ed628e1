import type { DecisionCardView } from '../../src/app/cards.js';
import { statusDescription, statusLabel, tr, type Reader } from '../../src/i18n/index.js';
import type { Button, Rendered } from './render.js';
import { decided, field, legalEntityLines, requestFormLines, t, withReason } from './render-parts.js';

/** A decision card in the inbox: the facts, and live buttons only while the decision is open. */
export function renderCard(reader: Reader, card: DecisionCardView): Rendered {
  const view = card.transfer;
  const title = t(
    reader,
    card.decision === 'compliance' ? 'console:card.compliance' : 'console:card.consent',
    {
      id: view.id,
    },
  );
  const lines = [
    title,
    `  ${statusLabel(reader.locale, view.status)} — ${statusDescription(reader.locale, view.status)}`,
    `  ${view.source.domain} → ${view.destination.domain}/${view.destinationVirtualAccount} · ${view.requester.name}`,
    ...legalEntityLines(reader, view),
  ];
  const refs = view.items.filter((i) => i.result !== 'excluded').map((i) => i.ref);
  lines.push(`  ${field(reader, 'common:field.items', refs.join(', '))}`);
  if (view.justification)
    lines.push(`  ${field(reader, 'common:field.businessJustification', view.justification)}`);
  lines.push(...requestFormLines(reader, view));
  if (!card.open && card.outcome) {
    const o = card.outcome;
    if (o.decision)
      lines.push(
        `  ${o.decision === 'approved' ? '✔' : '✖'} ${withReason(decided(reader, o.decision, o.by, o.at), o.reason)}`,
      );
    else if (o.closedBecause) lines.push(`  ${tr(reader, o.closedBecause)}`);
    else lines.push(`  ${statusLabel(reader.locale, view.status)}`);
  }
  const buttons: Button[] = [];
  if (card.open) {
    const verb = card.decision === 'compliance' ? 'screen' : 'consent';
    buttons.push({ label: t(reader, 'common:button.approve'), command: `${verb} ${view.id} approve` });
    buttons.push({
      label: t(reader, 'common:button.reject'),
      command: `${verb} ${view.id} reject`,
      reason: verb === 'screen' ? 'required' : 'optional',
    });
  }
  buttons.push({ label: t(reader, 'common:button.view'), command: `show ${view.id}` });
  return { text: lines.join('\n'), buttons };
}
