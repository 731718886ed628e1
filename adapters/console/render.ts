import type { DecisionCardView } from '../../src/app/cards.js';
import type { Reply } from '../../src/app/dispatch.js';
import { actorText, surfaceText } from '../../src/app/history-text.js';
import type { AssetRow } from '../../src/app/queries.js';
import type { TransferView } from '../../src/app/views.js';
import { COMMAND_WORDS, USAGE } from '../../src/commands/command.js';
import { consentRoleLabelKey, type TransferAction } from '../../src/domain/permissions.js';
import type { Refusal } from '../../src/domain/types.js';
import {
  NO_DATE,
  formatDateTime,
  heading,
  labelled,
  statusLabel,
  tr,
  translate,
  type Locale,
} from '../../src/i18n/index.js';
import type { Msg } from '../../src/i18n/msg.js';

/** A numbered button: what typing its number runs. `reason` asks for a reason first (reject). */
export interface Button {
  label: string;
  command: string;
  reason?: 'optional' | 'required';
}

export interface Rendered {
  text: string;
  buttons: Button[];
}

export interface Reader {
  locale: Locale;
  timeZone: string;
}

const t = (r: Reader, key: string, params?: Record<string, string | number>) =>
  translate(r.locale, key, params);
const when = (r: Reader, d: Date | null) => (d ? formatDateTime(d, r.locale, r.timeZone) : NO_DATE);
/** `Label: value` with the reader's colon (a no-break space before it in French, ：in Japanese). */
const field = (r: Reader, labelKey: string, value: string) => labelled(r.locale, t(r, labelKey), value);
/** A decision or a step, and the person's own words after a dash when they gave a reason. */
const withReason = (text: string, reason: string | null) => (reason ? `${text} — ${reason}` : text);
/** Who decided what and when: “approved by Bob on 3 Mar 2026” in the reader's grammar. */
const decided = (r: Reader, decision: 'approved' | 'rejected', by: string | null, at: Date | null) =>
  t(r, 'common:value.decided', { decision, by: by ?? '', at: when(r, at) });

export function renderRefusal(r: Reader, refusal: Refusal): string {
  const lines = [`✖ ${tr(r.locale, refusal.message)}`];
  for (const d of refusal.details ?? []) lines.push(`  - ${tr(r.locale, d)}`);
  return lines.join('\n');
}

export function renderReply(r: Reader, reply: Reply): Rendered {
  switch (reply.kind) {
    case 'help':
      return { text: renderHelp(r, reply.topic), buttons: [] };
    case 'accounts':
      return { text: renderAccounts(r, reply), buttons: [] };
    case 'assets':
      return { text: renderAssets(r, reply.list.rows, reply.list.more), buttons: [] };
    case 'wizard':
      return { text: t(r, 'console:wizard.opening'), buttons: [] };
    case 'transfer':
      return renderTransfer(r, reply.view, reply.notice, reply.warnings);
    case 'transfers':
      return renderTransfers(r, reply);
    case 'file':
      return { text: `${tr(r.locale, reply.notice)}\n${reply.path}`, buttons: [] };
    case 'done':
      return { text: tr(r.locale, reply.message), buttons: [] };
    case 'refused':
      return { text: renderRefusal(r, reply.refusal), buttons: [] };
  }
}

function renderHelp(r: Reader, topic?: (typeof COMMAND_WORDS)[number]): string {
  const words = topic ? [topic] : COMMAND_WORDS;
  const lines = topic ? [] : [t(r, 'grammar:guide.intro')];
  for (const word of words) {
    for (const usage of USAGE[word]) lines.push(`  ${usage}`);
    lines.push(`      ${t(r, `grammar:help.${word}`)}`);
  }
  if (!topic) {
    lines.push('', t(r, 'console:help.title'));
    for (const k of ['as', 'users', 'inbox', 'whoami', 'number', 'quit'])
      lines.push(`  ${t(r, `console:help.${k}`)}`);
    lines.push('', t(r, 'grammar:guide.quoting'), t(r, 'grammar:guide.refs'), t(r, 'grammar:guide.more'));
  }
  return lines.join('\n');
}

function renderAccounts(r: Reader, reply: Extract<Reply, { kind: 'accounts' }>): string {
  if (reply.accounts.length === 0) return t(r, 'console:accounts.none');
  const lines: string[] = [];
  for (const a of reply.accounts) {
    lines.push(
      `${a.name} (${a.domain}) — ${t(r, 'common:summary.assetCounts', { licenses: a.licenses, devices: a.devices })}`,
    );
    for (const va of a.virtualAccounts) {
      const name = va.onPrem ? `${va.name} [${t(r, 'common:value.onPrem')}]` : va.name;
      const counts = t(r, 'common:summary.assetCounts', { licenses: va.licenses, devices: va.devices });
      lines.push(`    ${labelled(r.locale, name, counts)}`);
    }
  }
  return lines.join('\n');
}

export function assetLine(r: Reader, row: AssetRow): string {
  const mark = row.eligibility.eligible ? '✓' : '✗';
  const facts =
    row.kind === 'license'
      ? [row.pid, `×${row.quantity}`, row.licenseType, row.description].filter(Boolean).join(' · ')
      : [row.pid, row.licenseType, row.pnpStatus, row.salesOrder ? `SO ${row.salesOrder}` : null]
          .filter(Boolean)
          .join(' · ');
  const lines = [`${mark} ${row.ref}  ${facts}  [${row.virtualAccount}]`];
  if (row.kind === 'license' && row.minorLines.length > 0) {
    lines.push(`      ${row.minorLines.map((m) => `${m.line} ${m.pid} ×${m.quantity}`).join(', ')}`);
  }
  if (!row.eligibility.eligible) lines.push(`      ${tr(r.locale, row.eligibility.reason)}`);
  else for (const w of row.eligibility.warnings) lines.push(`      ⚠ ${tr(r.locale, w)}`);
  return lines.join('\n');
}

function renderAssets(r: Reader, rows: AssetRow[], more: boolean): string {
  if (rows.length === 0) return t(r, 'console:assets.none');
  const lines = rows.map((row) => assetLine(r, row));
  if (more) lines.push(t(r, 'console:assets.more'));
  return lines.join('\n');
}

/** Buttons for what this viewer may do now: never one they may not press. */
export function actionButtons(r: Reader, id: string, actions: TransferAction[]): Button[] {
  const buttons: Button[] = [];
  for (const action of actions) {
    switch (action) {
      case 'view':
        break;
      case 'submit':
        buttons.push({ label: t(r, 'common:button.submitForTransfer'), command: `submit ${id}` });
        break;
      case 'cancel':
        buttons.push({ label: t(r, 'common:button.cancel'), command: `cancel ${id}` });
        break;
      case 'consent':
        buttons.push({ label: t(r, 'common:button.approve'), command: `consent ${id} approve` });
        buttons.push({
          label: t(r, 'common:button.reject'),
          command: `consent ${id} reject`,
          reason: 'optional',
        });
        break;
      case 'screen':
        buttons.push({ label: t(r, 'common:button.approve'), command: `screen ${id} approve` });
        buttons.push({
          label: t(r, 'common:button.reject'),
          command: `screen ${id} reject`,
          reason: 'required',
        });
        break;
      case 'retry':
        buttons.push({ label: t(r, 'common:button.retryFailed'), command: `retry ${id}` });
        break;
      case 'download':
        buttons.push({ label: t(r, 'common:button.download'), command: `export ${id}` });
        break;
    }
  }
  return buttons;
}

export function renderTransfer(r: Reader, v: TransferView, notice?: Msg, warnings: Msg[] = []): Rendered {
  const lines: string[] = [];
  if (notice) lines.push(tr(r.locale, notice));
  for (const w of warnings) lines.push(`⚠ ${tr(r.locale, w)}`);
  lines.push(`${v.id} — ${statusLabel(r.locale, v.status)}`);
  const va = (name: string | null) => (name ? `/${name}` : '');
  lines.push(
    `  ${field(r, 'common:field.source', `${v.source.name} (${v.source.domain}${va(v.sourceVirtualAccount)})`)}`,
  );
  lines.push(
    `  ${field(r, 'common:field.destination', `${v.destination.name} (${v.destination.domain}${va(v.destinationVirtualAccount)})`)}`,
  );
  lines.push(
    `  ${field(r, 'common:field.sameCompany', t(r, v.sameLegalEntity ? 'common:answer.yes' : 'common:answer.no'))}`,
  );
  lines.push(`  ${field(r, 'common:field.requester', `${v.requester.name} <${v.requester.email}>`)}`);
  if (v.transferee)
    lines.push(`  ${field(r, 'common:field.transferee', `${v.transferee.name} <${v.transferee.email}>`)}`);
  if (v.justification) lines.push(`  ${field(r, 'common:field.businessJustification', v.justification)}`);
  lines.push(
    `  ${field(r, 'common:field.transactionDate', when(r, v.createdAt))}   ${field(r, 'common:field.completionDate', when(r, v.completedAt))}`,
  );
  for (const c of v.consents) {
    const state = c.decision
      ? withReason(decided(r, c.decision, c.decidedBy, c.decidedAt), c.reason)
      : t(r, 'common:value.notAnswered');
    lines.push(`  ${labelled(r.locale, `${t(r, consentRoleLabelKey(c.role))} (${c.person.name})`, state)}`);
  }
  if (v.screening) {
    const { decision, by, at, reason } = v.screening;
    lines.push(`  ${field(r, 'common:field.compliance', withReason(decided(r, decision, by, at), reason))}`);
  }
  if (v.cancelReason) lines.push(`  ${field(r, 'common:field.reason', tr(r.locale, v.cancelReason))}`);
  lines.push(`  ${heading(r.locale, t(r, 'common:field.items'))}`);
  for (const i of v.items) {
    const result = t(r, `common:itemResult.${i.result}`);
    lines.push(
      `    ${i.ref}  ${i.pid ?? ''}${i.quantity ? ` ×${i.quantity}` : ''}  — ${i.reason ? labelled(r.locale, result, tr(r.locale, i.reason)) : result}`,
    );
    for (const w of i.warnings) lines.push(`      ⚠ ${tr(r.locale, w)}`);
  }
  lines.push(`  ${heading(r.locale, t(r, 'common:field.history'))}`);
  for (const h of v.history) {
    const move = h.to
      ? `${h.from ? `${statusLabel(r.locale, h.from)} → ` : ''}${statusLabel(r.locale, h.to)}`
      : h.action;
    const reason = h.reasonMsg ? tr(r.locale, h.reasonMsg) : h.reason;
    const who = `${actorText(r.locale, h.actor)} (${surfaceText(r.locale, h.surface)})`;
    lines.push(`    ${when(r, h.at)}  ${who}  ${withReason(move, reason)}`);
  }
  return { text: lines.join('\n'), buttons: actionButtons(r, v.id, v.actions) };
}

function renderTransfers(r: Reader, reply: Extract<Reply, { kind: 'transfers' }>): Rendered {
  const lines: string[] = [];
  if (reply.smartAccount) lines.push(field(r, 'common:field.smartAccount', reply.smartAccount));
  if (reply.rows.length === 0) lines.push(t(r, 'console:list.none'));
  const buttons: Button[] = [];
  for (const row of reply.rows) {
    const flag = row.awaitingViewer ? ' ★' : '';
    lines.push(
      `${row.id}  ${statusLabel(r.locale, row.status)}${flag}  ${row.source} → ${row.destination}  ${when(r, row.createdAt)} / ${when(r, row.completedAt)}`,
    );
    buttons.push({
      label: `${t(r, row.awaitingViewer ? 'common:button.viewProvideConsent' : 'common:button.view')} ${row.id}`,
      command: `show ${row.id}`,
    });
  }
  return { text: lines.join('\n'), buttons };
}

/** A decision card in the inbox: the facts, and live buttons only while the decision is open. */
export function renderCard(r: Reader, card: DecisionCardView): Rendered {
  const v = card.transfer;
  const title = t(r, card.decision === 'compliance' ? 'console:card.compliance' : 'console:card.consent', {
    id: v.id,
  });
  const lines = [
    title,
    `  ${v.source.domain} → ${v.destination.domain}/${v.destinationVirtualAccount} · ${v.requester.name}`,
  ];
  const refs = v.items.filter((i) => i.result !== 'excluded').map((i) => i.ref);
  lines.push(`  ${field(r, 'common:field.items', refs.join(', '))}`);
  if (v.justification) lines.push(`  ${field(r, 'common:field.businessJustification', v.justification)}`);
  if (!card.open && card.outcome) {
    const o = card.outcome;
    if (o.decision) lines.push(`  ✔ ${withReason(decided(r, o.decision, o.by, o.at), o.reason)}`);
    else if (o.closedBecause) lines.push(`  ${tr(r.locale, o.closedBecause)}`);
    else lines.push(`  ${statusLabel(r.locale, v.status)}`);
  }
  const buttons: Button[] = [];
  if (card.open) {
    const verb = card.decision === 'compliance' ? 'screen' : 'consent';
    buttons.push({ label: t(r, 'common:button.approve'), command: `${verb} ${v.id} approve` });
    buttons.push({
      label: t(r, 'common:button.reject'),
      command: `${verb} ${v.id} reject`,
      reason: verb === 'screen' ? 'required' : 'optional',
    });
  }
  buttons.push({ label: t(r, 'common:button.view'), command: `show ${v.id}` });
  return { text: lines.join('\n'), buttons };
}
