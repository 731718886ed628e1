import type { Status } from '../domain/status.js';
import type { RefusalCode } from '../domain/types.js';
import { formatDateTime, statusDescription, statusLabel, tr, translate, type Locale } from '../i18n/index.js';
import { wallClock, type CellInput, type Column, type Table } from './export-table.js';
import { actorText, surfaceText } from './history-text.js';
import type { HistoryView, PersonView, TransferView } from './views.js';

/** How a sheet speaks: the reader's language, and the zone its dates are shown in. */
export interface SheetContext {
  locale: Locale;
  timeZone: string;
  exportedAt: Date;
  /** Who asked for the file, or null for the operator at the command line. */
  exportedBy: string | null;
}

/** One row of an account's transaction list. */
export interface TransactionLine {
  id: string;
  status: Status;
  source: string;
  sourceVirtualAccount: string | null;
  destination: string;
  destinationVirtualAccount: string;
  sameLegalEntity: boolean;
  requester: PersonView;
  transferee: PersonView | null;
  createdAt: Date;
  completedAt: Date | null;
}

// The history actions the services write; anything else (a job added later) is shown as recorded.
const HISTORY_ACTIONS = [
  'request',
  'validate',
  'submit',
  'cancel',
  'consent.approve',
  'consent.reject',
  'screen.approve',
  'screen.reject',
  'execute',
  'retry',
  'expire',
  'view',
  'export',
] as const;
type HistoryAction = (typeof HISTORY_ACTIONS)[number];

// What a refused attempt was; `validate` and `execute` are the bot's own and are never refused to a person.
const ATTEMPTS = HISTORY_ACTIONS.filter(
  (a): a is Exclude<HistoryAction, 'validate' | 'execute'> => a !== 'validate' && a !== 'execute',
);

const REFUSAL_CODES: readonly RefusalCode[] = [
  'not_found',
  'forbidden',
  'wrong_status',
  'already_decided',
  'invalid',
  'ineligible',
  'conflict',
];

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

const t = (ctx: SheetContext, key: string, params?: Record<string, string | number>) =>
  translate(ctx.locale, key, params);
const zone = (ctx: SheetContext) => ({ zone: ctx.timeZone });
const yesNo = (ctx: SheetContext, value: boolean) => t(ctx, value ? 'common:answer.yes' : 'common:answer.no');
const person = (p: PersonView | null) => (p === null ? '' : p.email ? `${p.name} <${p.email}>` : p.name);
const when = (ctx: SheetContext, date: Date | null) => wallClock(date, ctx.timeZone);

/** SPEC §8: one account's transactions, one per row. */
export function transactionsSheet(ctx: SheetContext, lines: TransactionLine[]): Table {
  const columns: Column[] = [
    { header: t(ctx, 'export:column.transactionId'), kind: 'text' },
    { header: t(ctx, 'export:column.sourceSmartAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.sourceVirtualAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.destinationSmartAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.destinationVirtualAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.sameCompany'), kind: 'text' },
    { header: t(ctx, 'export:column.requester'), kind: 'text' },
    { header: t(ctx, 'export:column.transferee'), kind: 'text' },
    { header: t(ctx, 'export:column.transactionDate', zone(ctx)), kind: 'dateTime' },
    { header: t(ctx, 'export:column.completionDate', zone(ctx)), kind: 'dateTime' },
    { header: t(ctx, 'export:column.status'), kind: 'text' },
  ];
  // Translated once, not once per row: an account's export may hold tens of thousands of rows.
  const allVas = t(ctx, 'export:value.allVirtualAccounts');
  const answers = { yes: yesNo(ctx, true), no: yesNo(ctx, false) };
  const labels = new Map<Status, string>();
  const label = (status: Status) =>
    labels.get(status) ?? labels.set(status, statusLabel(ctx.locale, status)).get(status)!;
  const rows: CellInput[][] = lines.map((l) => [
    l.id,
    l.source,
    l.sourceVirtualAccount ?? allVas,
    l.destination,
    l.destinationVirtualAccount,
    l.sameLegalEntity ? answers.yes : answers.no,
    person(l.requester),
    person(l.transferee),
    when(ctx, l.createdAt),
    when(ctx, l.completedAt),
    label(l.status),
  ]);
  return { name: t(ctx, 'export:sheet.transactions'), columns, rows };
}

/** The facts of one transfer, as label and value: what a reader checks before the detail sheets. */
export function summarySheet(ctx: SheetContext, v: TransferView): Table {
  const account = (a: { domain: string; name: string }) => (a.name ? `${a.name} (${a.domain})` : a.domain);
  const facts: [string, CellInput][] = [
    [t(ctx, 'export:column.transactionId'), v.id],
    [t(ctx, 'export:column.status'), statusLabel(ctx.locale, v.status)],
    [t(ctx, 'export:summary.statusMeaning'), statusDescription(ctx.locale, v.status)],
    [t(ctx, 'export:column.sourceSmartAccount'), account(v.source)],
    [
      t(ctx, 'export:column.sourceVirtualAccount'),
      v.sourceVirtualAccount ?? t(ctx, 'export:value.allVirtualAccounts'),
    ],
    [t(ctx, 'export:column.destinationSmartAccount'), account(v.destination)],
    [t(ctx, 'export:column.destinationVirtualAccount'), v.destinationVirtualAccount],
    [t(ctx, 'export:summary.sameCompany'), yesNo(ctx, v.sameLegalEntity)],
    [t(ctx, 'export:summary.requestedByPartner'), yesNo(ctx, v.requestedByPartner)],
    [t(ctx, 'export:column.requester'), person(v.requester)],
    [t(ctx, 'export:column.transferee'), person(v.transferee)],
  ];
  if (v.justification) facts.push([t(ctx, 'common:field.businessJustification'), v.justification]);
  if (v.transfereeLegalName)
    facts.push([t(ctx, 'export:summary.transfereeLegalName'), v.transfereeLegalName]);
  if (v.transfereeAddress) facts.push([t(ctx, 'export:summary.transfereeAddress'), v.transfereeAddress]);
  facts.push(
    [t(ctx, 'export:column.transactionDate', zone(ctx)), when(ctx, v.createdAt)],
    [t(ctx, 'export:summary.submittedDate', zone(ctx)), when(ctx, v.submittedAt)],
    [t(ctx, 'export:column.completionDate', zone(ctx)), when(ctx, v.completedAt)],
  );
  for (const c of v.consents) {
    const answer = c.decision
      ? decided(ctx, c.decision, c.decidedBy ?? c.person.name, c.decidedAt, c.reason)
      : t(ctx, 'export:value.awaiting', { name: c.person.name });
    facts.push([t(ctx, `export:summary.consent.${c.role}`), answer]);
  }
  if (v.screening) {
    facts.push([
      t(ctx, 'export:summary.screening'),
      decided(ctx, v.screening.decision, v.screening.by ?? '', v.screening.at, v.screening.reason),
    ]);
  }
  if (v.cancelReason) facts.push([t(ctx, 'export:summary.cancelReason'), tr(ctx.locale, v.cancelReason)]);
  const count = (result: string) => v.items.filter((i) => i.result === result).length;
  facts.push(
    [
      t(ctx, 'export:summary.itemCounts'),
      t(ctx, 'export:value.itemCounts', {
        total: v.items.length,
        transferred: count('transferred'),
        pending: count('pending'),
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

function decided(
  ctx: SheetContext,
  decision: 'approved' | 'rejected',
  by: string,
  at: Date | null,
  reason: string | null,
): string {
  const text = t(ctx, 'common:value.decided', {
    decision,
    by,
    at: at ? formatDateTime(at, ctx.locale, ctx.timeZone) : '',
  });
  return reason ? `${text} — ${reason}` : text;
}

/** Every item with its result and why, warnings and notes one per line. */
export function itemsSheet(ctx: SheetContext, v: TransferView): Table {
  const columns: Column[] = [
    { header: t(ctx, 'export:column.reference'), kind: 'text' },
    { header: t(ctx, 'export:column.kind'), kind: 'text' },
    { header: t(ctx, 'export:column.pid'), kind: 'text' },
    { header: t(ctx, 'export:column.description'), kind: 'text' },
    { header: t(ctx, 'export:column.quantity'), kind: 'number' },
    { header: t(ctx, 'export:column.result'), kind: 'text' },
    { header: t(ctx, 'export:column.reason'), kind: 'text' },
    { header: t(ctx, 'export:column.warnings'), kind: 'text' },
  ];
  const rows: CellInput[][] = v.items.map((i) => [
    i.ref,
    t(ctx, `common:assetKind.${i.kind}`),
    i.pid,
    i.description,
    i.quantity,
    t(ctx, `common:itemResult.${i.result}`),
    i.reason ? tr(ctx.locale, i.reason) : null,
    i.warnings.length > 0 ? i.warnings.map((w) => tr(ctx.locale, w)).join('\n') : null,
  ]);
  return { name: t(ctx, 'export:sheet.items'), columns, rows };
}

/** SPEC §10: the whole record, in order: who did what, where, from which status to which, and why. */
export function historySheet(ctx: SheetContext, v: TransferView): Table {
  const columns: Column[] = [
    { header: t(ctx, 'export:column.time', zone(ctx)), kind: 'dateTimeSeconds' },
    { header: t(ctx, 'export:column.actor'), kind: 'text' },
    { header: t(ctx, 'export:column.surface'), kind: 'text' },
    { header: t(ctx, 'export:column.action'), kind: 'text' },
    { header: t(ctx, 'export:column.from'), kind: 'text' },
    { header: t(ctx, 'export:column.to'), kind: 'text' },
    { header: t(ctx, 'export:column.reason'), kind: 'text' },
  ];
  const rows: CellInput[][] = v.history.map((h) => [
    when(ctx, h.at),
    actorText(ctx.locale, h.actor),
    surfaceText(ctx.locale, h.surface),
    actionLabel(ctx, h.action),
    h.from ? statusLabel(ctx.locale, h.from) : null,
    h.to ? statusLabel(ctx.locale, h.to) : null,
    historyReason(ctx, h),
  ]);
  return { name: t(ctx, 'export:sheet.history'), columns, rows };
}

function actionLabel(ctx: SheetContext, action: string): string {
  if (isOneOf(HISTORY_ACTIONS, action)) return t(ctx, `export:action.${action}`);
  if (action.startsWith('refused.')) {
    const attempted = action.slice('refused.'.length);
    return t(ctx, 'export:action.refused', {
      action: isOneOf(ATTEMPTS, attempted) ? t(ctx, `export:attempt.${attempted}`) : attempted,
    });
  }
  return action;
}

/** A system reason in the reader's language; a person's own words as written; a refusal by its kind. */
function historyReason(ctx: SheetContext, h: HistoryView): string | null {
  if (h.reasonMsg) {
    const text = tr(ctx.locale, h.reasonMsg);
    // The plain column holds the English of the same message, or the person's own words next to it.
    const ownWords = h.reason !== null && h.reason !== tr('en', h.reasonMsg) && !text.includes(h.reason);
    return ownWords ? `${text} — ${h.reason}` : text;
  }
  if (h.reason === null) return null;
  if (h.action.startsWith('refused.') && isOneOf(REFUSAL_CODES, h.reason))
    return t(ctx, `export:refusal.${h.reason}`);
  return h.reason;
}
