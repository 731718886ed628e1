import type { types } from '@slack/bolt';
import type { TransferAction } from '../../../src/domain/permissions.js';
import type { ConsentView, HistoryView, ItemView, TransferView } from '../../../src/app/views.js';
import { actorText } from '../../../src/app/history-text.js';
import {
  formatDateTime,
  labelled,
  statusLabel,
  tr,
  translate,
  type Locale,
  type Msg,
} from '../../../src/i18n/index.js';
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
import { consentRoleLabelKey } from '../../../src/domain/permissions.js';

export interface RenderContext {
  locale: Locale;
  timeZone: string;
}

export const t = (r: RenderContext, key: string, params?: Record<string, string | number>) =>
  translate(r.locale, key, params);

export const when = (r: RenderContext, at: Date | null): string =>
  at ? formatDateTime(at, r.locale, r.timeZone) : t(r, 'common:value.notYet');

export function accountText(name: string, domain: string, va?: string | null): string {
  const who = name ? `${esc(name)} (${esc(domain)})` : esc(domain);
  return va ? `${who} / ${esc(va)}` : who;
}

/** Where a transfer goes from and to, as two facts. */
export function routeFields(v: TransferView, r: RenderContext): [string, string][] {
  return [
    [t(r, 'common:field.source'), accountText(v.source.name, v.source.domain, v.sourceVirtualAccount)],
    [
      t(r, 'common:field.destination'),
      accountText(v.destination.name, v.destination.domain, v.destinationVirtualAccount),
    ],
  ];
}

function personText(p: { name: string; email: string } | null, r: RenderContext): string {
  return p ? `${esc(p.name)} <mailto:${esc(p.email)}|${esc(p.email)}>` : t(r, 'common:value.none');
}

function consentLine(c: ConsentView, r: RenderContext): string {
  const role = t(r, consentRoleLabelKey(c.role));
  const name = esc(c.person.name);
  if (c.decision === null) return t(r, 'slack:transfer.consentPending', { role, name });
  return t(
    r,
    c.decision === 'approved' ? 'slack:transfer.consentApproved' : 'slack:transfer.consentRejected',
    {
      role,
      name,
      by: esc(c.decidedBy ?? c.person.name),
      at: when(r, c.decidedAt),
      reason: esc(c.reason ?? ''),
    },
  );
}

export function itemLines(items: ItemView[], r: RenderContext, max: number): string[] {
  const lines: string[] = [];
  for (const item of items.slice(0, max)) {
    const qty = item.quantity !== null && item.kind === 'license' ? ` ×${item.quantity}` : '';
    const result = t(r, `common:itemResult.${item.result}`);
    lines.push(`• \`${esc(item.ref)}\` ${esc(item.pid ?? '')}${qty} — _${result}_`);
    if (item.reason) lines.push(`    ↳ ${esc(tr(r.locale, item.reason))}`);
    for (const w of item.warnings) lines.push(`    :warning: ${esc(tr(r.locale, w))}`);
  }
  if (items.length > max) lines.push(t(r, 'slack:transfer.moreItems', { count: items.length - max }));
  return lines;
}

function historyLine(h: HistoryView, r: RenderContext): string {
  const move =
    h.from && h.to
      ? `${statusLabel(r.locale, h.from)} → ${statusLabel(r.locale, h.to)}`
      : h.to
        ? statusLabel(r.locale, h.to)
        : h.action;
  const reason = h.reasonMsg ? tr(r.locale, h.reasonMsg) : h.reason;
  return `${when(r, h.at)} · ${esc(actorText(r.locale, h.actor))} · ${esc(move)}${reason ? ` — ${esc(reason)}` : ''}`;
}

/** The buttons a viewer may press on a transfer: built from the actions the core allows this viewer. */
export function transferButtons(
  v: TransferView,
  r: RenderContext,
  allowed: readonly TransferAction[],
): types.ActionsBlock | null {
  const id = v.id;
  const out: types.Button[] = [];
  for (const a of allowed) {
    switch (a) {
      case 'submit':
        out.push(button(t(r, 'common:button.submitForTransfer'), ACTION.submit, id, 'primary'));
        break;
      case 'cancel':
        out.push(
          button(t(r, 'common:button.cancel'), ACTION.cancel, id, 'danger', {
            title: { type: 'plain_text', text: t(r, 'common:button.cancel').slice(0, 100) },
            text: { type: 'plain_text', text: t(r, 'common:question.confirmCancel', { id }) },
            confirm: { type: 'plain_text', text: t(r, 'common:button.confirmCancel').slice(0, 30) },
            deny: { type: 'plain_text', text: t(r, 'common:button.close').slice(0, 30) },
          }),
        );
        break;
      case 'consent':
        out.push(button(t(r, 'common:button.approve'), ACTION.consentApprove, id, 'primary'));
        out.push(button(t(r, 'common:button.reject'), ACTION.consentReject, id, 'danger'));
        break;
      case 'screen':
        out.push(button(t(r, 'common:button.approve'), ACTION.complianceApprove, id, 'primary'));
        out.push(button(t(r, 'common:button.reject'), ACTION.complianceReject, id, 'danger'));
        break;
      case 'retry':
        out.push(button(t(r, 'common:button.retryFailed'), ACTION.retry, id));
        break;
      case 'download':
        out.push(button(t(r, 'common:button.download'), ACTION.download, id));
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
}

/** One transfer as this viewer sees it: the facts, the items with their results, and what they may do. */
export function transferBlocks(v: TransferView, r: RenderContext, opts: TransferOptions = {}): Block[] {
  const blocks: Block[] = [];
  if (opts.notice) blocks.push(section(esc(tr(r.locale, opts.notice))));
  blocks.push(
    header(t(r, 'common:summary.transaction', { id: v.id, status: statusLabel(r.locale, v.status) })),
  );
  const facts: [string, string][] = [
    ...routeFields(v, r),
    [t(r, 'common:field.requester'), personText(v.requester, r)],
    [t(r, 'common:field.sameCompany'), t(r, v.sameLegalEntity ? 'common:answer.yes' : 'common:answer.no')],
    [t(r, 'common:field.transactionDate'), when(r, v.createdAt)],
    [t(r, 'common:field.completionDate'), when(r, v.completedAt)],
  ];
  if (!v.sameLegalEntity) facts.push([t(r, 'common:field.transferee'), personText(v.transferee, r)]);
  blocks.push(fields(facts));
  if (!v.sameLegalEntity && (v.justification || v.transfereeLegalName)) {
    blocks.push(
      fields([
        [t(r, 'common:field.businessJustification'), esc(v.justification ?? '—')],
        [t(r, 'common:field.transfereeLegalName'), esc(v.transfereeLegalName ?? '—')],
        [t(r, 'common:field.address'), esc(v.transfereeAddress ?? '—')],
      ]),
    );
  }
  const decisions = v.consents.map((c) => consentLine(c, r));
  if (v.screening) {
    decisions.push(
      t(
        r,
        v.screening.decision === 'approved'
          ? 'slack:transfer.screeningApproved'
          : 'slack:transfer.screeningRejected',
        {
          by: esc(v.screening.by ?? ''),
          at: when(r, v.screening.at),
          reason: esc(v.screening.reason ?? ''),
        },
      ),
    );
  }
  if (v.cancelReason)
    decisions.push(labelled(r.locale, t(r, 'common:field.reason'), esc(tr(r.locale, v.cancelReason))));
  if (decisions.length > 0) blocks.push(context(decisions));
  blocks.push(section(`*${t(r, 'common:field.items')}* (${v.items.length})`));
  blocks.push(...chunkedSections(itemLines(v.items, r, opts.maxItems ?? 20)).slice(0, 4));
  const warnings = (opts.warnings ?? []).map((w) => `:warning: ${esc(tr(r.locale, w))}`);
  if (warnings.length > 0) blocks.push(context(warnings));
  if (opts.history) {
    const recent = v.history.slice(-10).map((h) => historyLine(h, r));
    if (recent.length > 0) {
      blocks.push(section(`*${t(r, 'common:field.history')}*`));
      blocks.push(...chunkedSections(recent).slice(0, 2));
    }
  }
  const buttons = transferButtons(
    v,
    r,
    opts.buttons ? v.actions.filter((a) => opts.buttons!.includes(a)) : v.actions,
  );
  if (buttons) blocks.push(buttons);
  return blocks;
}

/** The one-line summary Slack shows in notifications and where blocks cannot be drawn. */
export function transferText(v: TransferView, r: RenderContext): string {
  return t(r, 'common:summary.transaction', { id: v.id, status: statusLabel(r.locale, v.status) });
}
