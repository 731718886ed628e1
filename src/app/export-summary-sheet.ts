import {
  aboutPerson,
  accountLabel,
  formatDateTime,
  statusDescription,
  statusLabel,
  tr,
} from '../i18n/index.js';
import type { CellInput, Table } from './export-table.js';
import { person, t, when, yesNo, zone, type ExportContext } from './export-sheets.js';
import { consentsAsRead } from './consents-read.js';
import type { TransferView } from './views.js';

/** An unanswered consent: awaited, its person no longer able to answer, or no longer awaited. */
const UNANSWERED_KEYS = {
  awaited: 'export:value.awaiting',
  cannotAnswer: 'export:value.cannotAnswer',
  notAnswered: 'common:value.noLongerAwaited',
} as const;

/** The facts of one transfer, as label and value: what a reader checks before the detail sheets. */
export function summarySheet(ctx: ExportContext, view: TransferView): Table {
  const account = (a: { domain: string; name: string }) => accountLabel(ctx.reader.locale, a);
  const facts: [string, CellInput][] = [
    [t(ctx, 'export:column.transactionId'), view.id],
    [t(ctx, 'export:column.status'), statusLabel(ctx.reader.locale, view.status)],
    [t(ctx, 'export:summary.statusMeaning'), statusDescription(ctx.reader.locale, view.status)],
    [t(ctx, 'export:column.sourceSmartAccount'), account(view.source)],
    [
      t(ctx, 'export:column.sourceVirtualAccount'),
      view.sourceVirtualAccount ?? t(ctx, 'export:value.allVirtualAccounts'),
    ],
    [t(ctx, 'export:column.destinationSmartAccount'), account(view.destination)],
    [t(ctx, 'export:column.destinationVirtualAccount'), view.destinationVirtualAccount],
    // Where the inventory records them, as `show` lists them.
    ...legalEntities(ctx, view),
    [t(ctx, 'export:summary.sameCompany'), yesNo(ctx, view.sameLegalEntity)],
    [t(ctx, 'export:summary.requestedByPartner'), yesNo(ctx, view.requestedByPartner)],
    [t(ctx, 'export:column.requester'), person(ctx, view.requester)],
    [t(ctx, 'export:column.transferee'), person(ctx, view.transferee)],
  ];
  if (view.namedTransferor)
    facts.push([t(ctx, 'common:field.transferor'), person(ctx, view.namedTransferor)]);
  if (view.justification) facts.push([t(ctx, 'common:field.businessJustification'), view.justification]);
  if (view.transfereeLegalName)
    facts.push([t(ctx, 'export:summary.transfereeLegalName'), view.transfereeLegalName]);
  if (view.transfereeAddress)
    facts.push([t(ctx, 'export:summary.transfereeAddress'), view.transfereeAddress]);
  if (view.termsAccepted)
    facts.push([
      t(ctx, 'common:field.termsAndConditions'),
      t(ctx, 'common:terms.accepted', {
        name: view.termsAccepted.by.name,
        at: formatDateTime(view.termsAccepted.at, ctx.reader.locale, ctx.reader.timeZone),
      }),
    ]);
  facts.push(
    [t(ctx, 'export:column.transactionDate', zone(ctx)), when(ctx, view.createdAt)],
    [t(ctx, 'export:summary.submittedDate', zone(ctx)), when(ctx, view.submittedAt)],
    [t(ctx, 'export:column.completionDate', zone(ctx)), when(ctx, view.completedAt)],
  );
  for (const c of consentsAsRead(view)) {
    const answer = c.decision
      ? decided(ctx, c.decision, c.decidedBy ?? c.person.name, c.decidedAt, c.reason)
      : t(ctx, UNANSWERED_KEYS[c.unanswered ?? 'awaited'], { name: c.person.name });
    // Under the one asked, as `show` does: an answer once, under who gave it; an open consent per person asked.
    facts.push([
      aboutPerson(ctx.reader.locale, t(ctx, `export:summary.consent.${c.role}`), c.person.name),
      answer,
    ]);
  }
  if (view.screening) {
    facts.push([
      t(ctx, 'export:summary.screening'),
      decided(
        ctx,
        view.screening.decision,
        view.screening.by ?? '',
        view.screening.at,
        view.screening.reason,
      ),
    ]);
  }
  if (view.cancelReason)
    facts.push([t(ctx, 'export:summary.cancelReason'), tr(ctx.reader, view.cancelReason)]);
  const count = (result: string) => view.items.filter((i) => i.result === result).length;
  facts.push(
    [
      t(ctx, 'export:summary.itemCounts'),
      t(ctx, 'export:value.itemCounts', {
        total: view.items.length,
        transferred: count('transferred'),
        pending: count('pending'),
        notTransferred: count('not_transferred'),
        failed: count('failed'),
        excluded: count('excluded'),
      }),
    ],
    [t(ctx, 'export:summary.exportedAt', zone(ctx)), when(ctx, ctx.exportedAt)],
    [t(ctx, 'export:summary.exportedBy'), ctx.exportedBy ?? t(ctx, 'export:value.operator')],
  );
  return {
    name: t(ctx, 'export:sheet.summary'),
    columns: [
      { header: t(ctx, 'export:column.field'), kind: 'text' },
      { header: t(ctx, 'export:column.value'), kind: 'text' },
    ],
    rows: facts.map(([label, value]) => [label, value]),
  };
}

function legalEntities(ctx: ExportContext, view: TransferView): [string, CellInput][] {
  const facts: [string, CellInput][] = [];
  if (view.source.legalEntity)
    facts.push([t(ctx, 'common:field.sourceLegalEntity'), view.source.legalEntity]);
  if (view.destination.legalEntity)
    facts.push([t(ctx, 'common:field.destinationLegalEntity'), view.destination.legalEntity]);
  return facts;
}

function decided(
  ctx: ExportContext,
  decision: 'approved' | 'rejected',
  by: string,
  at: Date | null,
  reason: string | null,
): string {
  const text = t(ctx, 'common:value.decided', {
    decision,
    by,
    at: at ? formatDateTime(at, ctx.reader.locale, ctx.reader.timeZone) : '',
  });
  return reason ? `${text} — ${reason}` : text;
}
