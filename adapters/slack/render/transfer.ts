import type { types } from '@slack/bolt';
import type { TransferAction } from '../../../src/domain/permissions.js';
import type { CardTransferView } from '../../../src/app/cards.js';
import { consentsAsRead, type ConsentAsRead } from '../../../src/app/consents-read.js';
import type { ConsentView, HistoryView, TransferView } from '../../../src/app/views.js';
import { historyActor, historyEntryText, historySummary } from '../../../src/app/history-text.js';
import { CHAT_HISTORY_ENTRIES, historyWindow } from '../../../src/app/history-window.js';
import type { ReviewSummary } from '../../../src/app/selection.js';
import {
  accountLabel,
  completionDateText,
  labelled,
  personAddressDrawn,
  statusDescription,
  statusLabel,
  tr,
  type Msg,
  type Reader,
} from '../../../src/i18n/index.js';
import { ACTION, BLOCK } from '../ids.js';
import {
  actions,
  button,
  chunkedSections,
  context,
  esc,
  fields,
  fittedSections,
  header,
  section,
  type Block,
} from './blocks.js';
import { consentRoleLabelKey } from '../../../src/domain/permissions.js';
import { t, when } from './reader-text.js';
import { itemSections, itemsHeading } from './transfer-items.js';

/** Where a transfer goes from and to, and the legal entities of both where the inventory records them. */
export function routeFields(view: CardTransferView, reader: Reader): [string, string][] {
  const route: [string, string][] = [
    [
      t(reader, 'common:field.source'),
      esc(accountLabel(reader.locale, view.source, view.sourceVirtualAccount)),
    ],
    [
      t(reader, 'common:field.destination'),
      esc(accountLabel(reader.locale, view.destination, view.destinationVirtualAccount)),
    ],
  ];
  if (view.source.legalEntity || view.destination.legalEntity)
    route.push(
      [t(reader, 'common:field.sourceLegalEntity'), esc(view.source.legalEntity ?? '—')],
      [t(reader, 'common:field.destinationLegalEntity'), esc(view.destination.legalEntity ?? '—')],
    );
  return route;
}

/**
 * A person as Slack messages name them: their name and their address as every surface writes them
 * (`personAddress`), the address a link to write to them.
 */
export function personText(p: { name: string; email: string } | null, reader: Reader): string {
  if (!p) return t(reader, 'common:value.none');
  return personAddressDrawn(reader.locale, p, {
    text: esc,
    name: esc,
    email: (email) => `<mailto:${esc(email)}|${esc(email)}>`,
  });
}

/** An unanswered consent: awaited, its person no longer able to answer, or no longer awaited. */
const UNANSWERED_KEYS = {
  awaited: 'slack:transfer.consentPending',
  cannotAnswer: 'slack:transfer.consentCannotAnswer',
  notAnswered: 'slack:transfer.consentNotAnswered',
} as const;

/** One consent asked: by whom, in which role, and what they answered, when and why. */
export function consentLine(consent: ConsentAsRead<ConsentView>, reader: Reader): string {
  const role = t(reader, consentRoleLabelKey(consent.role));
  const name = esc(consent.person.name);
  if (consent.decision === null)
    return t(reader, UNANSWERED_KEYS[consent.unanswered ?? 'awaited'], { role, name });
  return withReason(
    t(
      reader,
      consent.decision === 'approved' ? 'slack:transfer.consentApproved' : 'slack:transfer.consentRejected',
      { role, name, by: esc(consent.decidedBy ?? consent.person.name), at: when(reader, consent.decidedAt) },
    ),
    consent.reason,
  );
}

/** A decision's line and, when one was given, its reason after a dash (none: no dangling dash). */
const withReason = (line: string, reason: string | null) => (reason ? `${line} — ${esc(reason)}` : line);

function historyLine(entry: HistoryView, reader: Reader): string {
  const text = historyEntryText(reader.locale, entry);
  const what = historySummary(reader.locale, text);
  const who = historyActor(reader.locale, text);
  return `${when(reader, entry.at)} · ${esc(who)} · ${esc(what)}${text.reason ? ` — ${esc(text.reason)}` : ''}`;
}

/**
 * The history as chat shows it (see `historyWindow`), in at most two sections: when long reasons make the
 * latest entries too long for them, fewer are drawn and the note counts the others.
 */
function historySections(view: TransferView, reader: Reader): types.SectionBlock[] {
  const lines = (max: number) => {
    const shown = historyWindow(view, Math.min(max, CHAT_HISTORY_ENTRIES));
    return [
      ...shown.first.map((h) => historyLine(h, reader)),
      ...(shown.note ? [`_${esc(tr(reader, shown.note))}_`] : []),
      ...shown.latest.map((h) => historyLine(h, reader)),
    ];
  };
  return fittedSections(Math.min(view.history.length, CHAT_HISTORY_ENTRIES), lines, 2);
}

/** The buttons a viewer may press on a transfer: built from the actions the core allows this viewer. */
export function transferButtons(
  view: TransferView,
  reader: Reader,
  allowed: readonly TransferAction[],
): types.ActionsBlock | null {
  const id = view.id;
  const out: types.Button[] = [];
  for (const a of allowed) {
    switch (a) {
      case 'submit':
        out.push(button(t(reader, 'common:button.submitForTransfer'), ACTION.submit, id, 'primary'));
        break;
      case 'cancel':
        out.push(
          button(t(reader, 'common:button.cancel'), ACTION.cancel, id, 'danger', {
            title: { type: 'plain_text', text: t(reader, 'common:button.cancel').slice(0, 100) },
            text: { type: 'plain_text', text: t(reader, 'common:question.confirmCancel', { id }) },
            confirm: { type: 'plain_text', text: t(reader, 'common:button.confirmCancel').slice(0, 30) },
            deny: { type: 'plain_text', text: t(reader, 'common:button.close').slice(0, 30) },
          }),
        );
        break;
      case 'consent':
        out.push(button(t(reader, 'common:button.approve'), ACTION.consentApprove, id, 'primary'));
        out.push(button(t(reader, 'common:button.reject'), ACTION.consentReject, id, 'danger'));
        break;
      case 'screen':
        out.push(button(t(reader, 'common:button.approve'), ACTION.complianceApprove, id, 'primary'));
        out.push(button(t(reader, 'common:button.reject'), ACTION.complianceReject, id, 'danger'));
        break;
      case 'retry':
        out.push(button(t(reader, 'common:button.retryFailed'), ACTION.retry, id));
        break;
      case 'download':
        out.push(button(t(reader, 'common:button.download'), ACTION.download, id));
        break;
      case 'view':
        break;
      default: {
        const unreachable: never = a;
        return unreachable;
      }
    }
  }
  return out.length > 0 ? actions(BLOCK.transfer, out) : null;
}

export interface TransferOptions {
  notice?: Msg | undefined;
  warnings?: Msg[] | undefined;
  maxItems?: number;
  history?: boolean;
  /** Which of the viewer's actions to show as buttons (default: all of them). */
  buttons?: readonly TransferAction[];
  /** What whole selections took in and left out. */
  selection?: ReviewSummary | undefined;
}

/** Counts per kind and Virtual Account, then the assets left out with their reasons. */
export function selectionLines(r: ReviewSummary, reader: Reader): string[] {
  const lines = [
    `*${t(reader, 'core:journey.review.title')}*`,
    t(reader, 'common:summary.assetCounts', { licenses: r.licenses, devices: r.devices }),
    ...r.perVirtualAccount.map((va) => esc(t(reader, 'core:journey.review.perVirtualAccount', va))),
  ];
  if (r.leftOutTotal > 0) {
    lines.push(t(reader, 'core:journey.review.leftOut', { count: r.leftOutTotal }));
    for (const item of r.leftOut)
      lines.push(`• ${labelled(reader.locale, `\`${esc(item.ref)}\``, esc(tr(reader.locale, item.reason)))}`);
    if (r.leftOutTotal > r.leftOut.length)
      lines.push(t(reader, 'core:journey.review.leftOutMore', { count: r.leftOutTotal - r.leftOut.length }));
  }
  return lines;
}

/** One transfer as this viewer sees it: the facts, the items with their results, and what they may do. */
export function transferBlocks(view: TransferView, reader: Reader, opts: TransferOptions = {}): Block[] {
  const blocks: Block[] = [];
  if (opts.notice) blocks.push(section(esc(tr(reader, opts.notice))));
  if (opts.selection) blocks.push(...chunkedSections(selectionLines(opts.selection, reader)).slice(0, 4));
  blocks.push(
    header(
      t(reader, 'common:summary.transaction', {
        id: view.id,
        status: statusLabel(reader.locale, view.status),
      }),
    ),
  );
  blocks.push(context([esc(statusDescription(reader.locale, view.status))]));
  const facts: [string, string][] = [
    ...routeFields(view, reader),
    [t(reader, 'common:field.requester'), personText(view.requester, reader)],
    [
      t(reader, 'common:field.sameCompany'),
      t(reader, view.sameLegalEntity ? 'common:answer.yes' : 'common:answer.no'),
    ],
    [t(reader, 'common:field.transactionDate'), when(reader, view.createdAt)],
    [t(reader, 'common:field.completionDate'), completionDateText(reader, view)],
  ];
  if (!view.sameLegalEntity)
    facts.push([t(reader, 'common:field.transferee'), personText(view.transferee, reader)]);
  if (view.namedTransferor)
    facts.push([t(reader, 'common:field.transferor'), personText(view.namedTransferor, reader)]);
  blocks.push(fields(facts));
  if (!view.sameLegalEntity && (view.justification || view.transfereeLegalName)) {
    blocks.push(
      fields([
        [t(reader, 'common:field.businessJustification'), esc(view.justification ?? '—')],
        [t(reader, 'common:field.transfereeLegalName'), esc(view.transfereeLegalName ?? '—')],
        [t(reader, 'common:field.address'), esc(view.transfereeAddress ?? '—')],
      ]),
    );
  }
  if (view.termsAccepted)
    blocks.push(
      context([
        esc(
          t(reader, 'common:terms.accepted', {
            name: view.termsAccepted.by.name,
            at: when(reader, view.termsAccepted.at),
          }),
        ),
      ]),
    );
  const decisions = consentsAsRead(view).map((c) => consentLine(c, reader));
  if (view.screening) {
    decisions.push(
      withReason(
        t(
          reader,
          view.screening.decision === 'approved'
            ? 'slack:transfer.screeningApproved'
            : 'slack:transfer.screeningRejected',
          { by: esc(view.screening.by ?? ''), at: when(reader, view.screening.at) },
        ),
        view.screening.reason,
      ),
    );
  }
  if (view.cancelReason)
    decisions.push(
      labelled(reader.locale, t(reader, 'common:field.reason'), esc(tr(reader, view.cancelReason))),
    );
  if (decisions.length > 0) blocks.push(context(decisions));
  blocks.push(section(itemsHeading(reader, view.items.length)));
  blocks.push(...itemSections(view.items, reader, opts.maxItems ?? 20, 4));
  const warnings = (opts.warnings ?? []).map((w) => `:warning: ${esc(tr(reader, w))}`);
  if (warnings.length > 0) blocks.push(context(warnings));
  if (opts.history && view.history.length > 0) {
    blocks.push(section(`*${t(reader, 'common:field.history')}*`));
    blocks.push(...historySections(view, reader));
  }
  const buttons = transferButtons(
    view,
    reader,
    opts.buttons ? view.actions.filter((a) => opts.buttons!.includes(a)) : view.actions,
  );
  if (buttons) blocks.push(buttons);
  return blocks;
}

/** The one-line summary Slack shows in notifications and where blocks cannot be drawn. */
export function transferText(view: TransferView, reader: Reader): string {
  return t(reader, 'common:summary.transaction', {
    id: view.id,
    status: statusLabel(reader.locale, view.status),
  });
}
