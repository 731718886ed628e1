import type { Reply } from '../../src/app/dispatch.js';
import { pageCommands } from '../../src/app/landing-page.js';
import { inShowingOrder } from '../../src/app/item-order.js';
import { assetFacts } from '../../src/app/asset-rows.js';
import { guideText, type Guide } from '../../src/app/guides.js';
import { historyActor, historyEntryText, historySummary } from '../../src/app/history-text.js';
import type { AssetRow } from '../../src/app/asset-list.js';
import { virtualAccountLabel } from '../../src/app/queries.js';
import type { ReviewSummary } from '../../src/app/selection.js';
import type { TransferView } from '../../src/app/views.js';
import { COMMAND_WORDS, USAGE } from '../../src/commands/command.js';
import type { TransferAction } from '../../src/domain/permissions.js';
import type { Refusal } from '../../src/domain/types.js';
import {
  accountLabel,
  completionDateText,
  formatQuantity,
  heading,
  labelled,
  msg,
  personAddress,
  statusDescription,
  statusLabel,
  tr,
  type Reader,
} from '../../src/i18n/index.js';
import type { Msg } from '../../src/domain/msg.js';
import type { DraftChoice } from '../../src/app/journey/in-progress.js';
import {
  consentLines,
  decided,
  field,
  itemLines,
  legalEntityLines,
  requestFormLines,
  t,
  when,
  withReason,
} from './render-parts.js';

/**
 * A numbered button: what typing its number runs. `reason` asks for a reason first (reject); `draft` is
 * an answer to the offer of a request in progress, and runs no command.
 */
export interface Button {
  label: string;
  command: string;
  reason?: 'optional' | 'required';
  draft?: { id: string; choice: DraftChoice };
}

export interface Rendered {
  text: string;
  buttons: Button[];
}

export function renderRefusal(reader: Reader, refusal: Refusal): string {
  const lines = [`✖ ${tr(reader, refusal.message)}`];
  for (const d of refusal.details ?? []) lines.push(`  - ${tr(reader, d)}`);
  return lines.join('\n');
}

export function renderReply(reader: Reader, reply: Reply): Rendered {
  switch (reply.kind) {
    case 'help':
      return { text: renderHelp(reader, reply.topic), buttons: [] };
    case 'guide':
      return { text: renderGuide(reader, reply.guide), buttons: [] };
    case 'accounts':
      return { text: renderAccounts(reader, reply), buttons: [] };
    case 'assets':
      return { text: renderAssets(reader, reply.list.rows, reply.list.more), buttons: [] };
    case 'wizard':
      return { text: t(reader, 'console:wizard.opening'), buttons: [] };
    case 'draftOffer': {
      const choice = (key: 'continue' | 'startOver'): Button => ({
        label: t(reader, `core:journey.inProgress.${key}`),
        command: '',
        draft: { id: reply.offer.draftId, choice: key },
      });
      return { text: tr(reader, reply.offer.message), buttons: [choice('continue'), choice('startOver')] };
    }
    case 'transfer':
      return renderTransfer(reader, reply.view, reply.notice, reply.warnings, reply.selection);
    case 'transfers':
      return renderTransfers(reader, reply);
    case 'file':
      return { text: `${tr(reader, reply.notice)}\n${reply.path}`, buttons: [] };
    case 'done':
      return { text: tr(reader, reply.message), buttons: [] };
    case 'refused':
      return { text: renderRefusal(reader, reply.refusal), buttons: [] };
  }
}

function renderHelp(reader: Reader, topic?: (typeof COMMAND_WORDS)[number]): string {
  const words = topic ? [topic] : COMMAND_WORDS;
  const lines = topic ? [] : [t(reader, 'grammar:guide.intro')];
  for (const word of words) {
    for (const usage of USAGE[word]) lines.push(`  ${usage}`);
    lines.push(`      ${t(reader, `grammar:help.${word}`)}`);
  }
  if (!topic) {
    lines.push('', t(reader, 'console:help.title'));
    for (const k of ['as', 'users', 'inbox', 'whoami', 'number', 'quit'] as const)
      lines.push(`  ${t(reader, `console:help.${k}`)}`);
    lines.push(
      '',
      t(reader, 'grammar:guide.quoting'),
      t(reader, 'grammar:guide.refs'),
      t(reader, 'grammar:guide.more'),
    );
  }
  return lines.join('\n');
}

function renderGuide(reader: Reader, guide: Guide): string {
  const lines = [heading(reader.locale, tr(reader, guide.title))];
  for (const entry of guide.entries) {
    if (entry.label) lines.push(`  ${tr(reader, entry.label)}`);
    lines.push(`${entry.label ? '      ' : '  '}${guideText(reader.locale, entry.text)}`);
  }
  return lines.join('\n');
}

function renderAccounts(reader: Reader, reply: Extract<Reply, { kind: 'accounts' }>): string {
  // "None that matches" only when something was typed to match.
  if (reply.accounts.length === 0)
    return t(reader, reply.query ? 'console:accounts.none' : 'core:accounts.none');
  const lines: string[] = [];
  for (const a of reply.accounts) {
    lines.push(
      `${accountLabel(reader.locale, a)} — ${t(reader, 'common:summary.assetCounts', { licenses: a.licenses, devices: a.devices })}`,
    );
    for (const va of a.virtualAccounts) {
      const name = virtualAccountLabel(reader.locale, va);
      const counts = t(reader, 'common:summary.assetCounts', { licenses: va.licenses, devices: va.devices });
      lines.push(`    ${labelled(reader.locale, name, counts)}`);
    }
  }
  if (reply.more > 0) lines.push(t(reader, 'core:accounts.more', { count: reply.more }));
  return lines.join('\n');
}

export function assetLine(reader: Reader, row: AssetRow): string {
  const mark = row.eligibility.eligible ? '✓' : '✗';
  const facts = [
    row.pid,
    row.kind === 'license' ? formatQuantity(row.quantity, reader.locale) : null,
    ...assetFacts(reader.locale, row),
    row.kind === 'license' ? row.description : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [`${mark} ${row.ref}  ${facts}  [${row.virtualAccount}]`];
  if (row.kind === 'license' && row.minorLines.length > 0) {
    for (const m of row.minorLines)
      lines.push(`      ↳ ${m.line} ${m.pid} ${formatQuantity(m.quantity, reader.locale)}`);
  }
  if (!row.eligibility.eligible) lines.push(`      ${tr(reader, row.eligibility.reason)}`);
  else for (const w of row.eligibility.warnings) lines.push(`      ⚠ ${tr(reader, w)}`);
  return lines.join('\n');
}

function renderAssets(reader: Reader, rows: AssetRow[], more: boolean): string {
  if (rows.length === 0) return t(reader, 'console:assets.none');
  const lines = rows.map((row) => assetLine(reader, row));
  if (more) lines.push(t(reader, 'console:assets.more'));
  return lines.join('\n');
}

/** Buttons for what this viewer may do now: never one they may not press. */
export function actionButtons(reader: Reader, id: string, actions: TransferAction[]): Button[] {
  const buttons: Button[] = [];
  for (const action of actions) {
    switch (action) {
      case 'view':
        break;
      case 'submit':
        buttons.push({ label: t(reader, 'common:button.submitForTransfer'), command: `submit ${id}` });
        break;
      case 'cancel':
        buttons.push({ label: t(reader, 'common:button.cancel'), command: `cancel ${id}` });
        break;
      case 'consent':
        buttons.push({ label: t(reader, 'common:button.approve'), command: `consent ${id} approve` });
        buttons.push({
          label: t(reader, 'common:button.reject'),
          command: `consent ${id} reject`,
          reason: 'optional',
        });
        break;
      case 'screen':
        buttons.push({ label: t(reader, 'common:button.approve'), command: `screen ${id} approve` });
        buttons.push({
          label: t(reader, 'common:button.reject'),
          command: `screen ${id} reject`,
          reason: 'required',
        });
        break;
      case 'retry':
        buttons.push({ label: t(reader, 'common:button.retryFailed'), command: `retry ${id}` });
        break;
      case 'download':
        buttons.push({ label: t(reader, 'common:button.download'), command: `export ${id}` });
        break;
    }
  }
  return buttons;
}

/** What whole selections took in (per kind and Virtual Account) and left out, with reasons. */
export function selectionLines(reader: Reader, r: ReviewSummary): string[] {
  const lines = [heading(reader.locale, t(reader, 'core:journey.review.title'))];
  lines.push(`  ${t(reader, 'common:summary.assetCounts', { licenses: r.licenses, devices: r.devices })}`);
  for (const va of r.perVirtualAccount)
    lines.push(`  ${t(reader, 'core:journey.review.perVirtualAccount', va)}`);
  if (r.leftOutTotal > 0) {
    lines.push(`  ${t(reader, 'core:journey.review.leftOut', { count: r.leftOutTotal })}`);
    for (const item of r.leftOut)
      lines.push(`    ✗ ${labelled(reader.locale, item.ref, tr(reader.locale, item.reason))}`);
    if (r.leftOutTotal > r.leftOut.length)
      lines.push(
        `    ${t(reader, 'core:journey.review.leftOutMore', { count: r.leftOutTotal - r.leftOut.length })}`,
      );
  }
  return lines;
}

export function renderTransfer(
  reader: Reader,
  view: TransferView,
  notice?: Msg,
  warnings: Msg[] = [],
  selection?: ReviewSummary,
): Rendered {
  const lines: string[] = [];
  if (notice) lines.push(tr(reader, notice));
  for (const w of warnings) lines.push(`⚠ ${tr(reader, w)}`);
  if (selection) lines.push(...selectionLines(reader, selection));
  lines.push(`${view.id} — ${statusLabel(reader.locale, view.status)}`);
  lines.push(`  ${statusDescription(reader.locale, view.status)}`);
  // The Virtual Account inside the brackets, as `to:` names it: `Lab (fr-b.example/Lyon)`.
  const account = (a: { name: string; domain: string }, va: string | null) =>
    accountLabel(reader.locale, { name: a.name, domain: va ? `${a.domain}/${va}` : a.domain });
  lines.push(`  ${field(reader, 'common:field.source', account(view.source, view.sourceVirtualAccount))}`);
  lines.push(
    `  ${field(reader, 'common:field.destination', account(view.destination, view.destinationVirtualAccount))}`,
  );
  lines.push(...legalEntityLines(reader, view));
  lines.push(
    `  ${field(reader, 'common:field.sameCompany', t(reader, view.sameLegalEntity ? 'common:answer.yes' : 'common:answer.no'))}`,
  );
  lines.push(`  ${field(reader, 'common:field.requester', personAddress(reader.locale, view.requester))}`);
  if (view.transferee)
    lines.push(
      `  ${field(reader, 'common:field.transferee', personAddress(reader.locale, view.transferee))}`,
    );
  if (view.namedTransferor) {
    lines.push(
      `  ${field(reader, 'common:field.transferor', personAddress(reader.locale, view.namedTransferor))}`,
    );
  }
  if (view.justification)
    lines.push(`  ${field(reader, 'common:field.businessJustification', view.justification)}`);
  lines.push(...requestFormLines(reader, view));
  lines.push(
    `  ${field(reader, 'common:field.transactionDate', when(reader, view.createdAt))}   ${field(reader, 'common:field.completionDate', completionDateText(reader, view))}`,
  );
  lines.push(...consentLines(reader, view));
  if (view.screening) {
    const { decision, by, at, reason } = view.screening;
    lines.push(
      `  ${field(reader, 'common:field.compliance', withReason(decided(reader, decision, by, at), reason))}`,
    );
  }
  if (view.cancelReason)
    lines.push(`  ${field(reader, 'common:field.reason', tr(reader, view.cancelReason))}`);
  lines.push(`  ${itemsHeading(reader, view.items)}`);
  for (const item of inShowingOrder(view.items)) lines.push(...itemLines(reader, item));
  lines.push(`  ${heading(reader.locale, t(reader, 'common:field.history'))}`);
  for (const h of view.history) {
    const entry = historyEntryText(reader.locale, h);
    const who = historyActor(reader.locale, entry);
    lines.push(
      `    ${when(reader, h.at)}  ${who}  ${withReason(historySummary(reader.locale, entry), entry.reason)}`,
    );
  }
  return { text: lines.join('\n'), buttons: actionButtons(reader, view.id, view.actions) };
}

/** "Items (300) · Failed (2):": how many items there are, and how many failed when any did. */
function itemsHeading(reader: Reader, items: TransferView['items']): string {
  const counted = (key: 'common:field.items' | 'common:itemResult.failed', count: number) =>
    t(reader, 'common:format.counted', { label: t(reader, key), count });
  const failed = items.filter((item) => item.result === 'failed').length;
  const label = [counted('common:field.items', items.length)];
  if (failed > 0) label.push(counted('common:itemResult.failed', failed));
  return heading(reader.locale, label.join(' · '));
}

function renderTransfers(reader: Reader, reply: Extract<Reply, { kind: 'transfers' }>): Rendered {
  const lines: string[] = [];
  if (reply.smartAccount) lines.push(field(reader, 'common:field.smartAccount', reply.smartAccount));
  if (reply.rows.length === 0) lines.push(tr(reader, reply.empty ?? msg('core:list.none')));
  const buttons: Button[] = [];
  for (const row of reply.rows) {
    const flag = row.awaitingViewer ? ' ★' : '';
    lines.push(
      `${row.id}  ${statusLabel(reader.locale, row.status)}${flag}  ${accountLabel(reader.locale, row.source)} → ${accountLabel(reader.locale, row.destination)}  ${when(reader, row.createdAt)} / ${completionDateText(reader, row)}`,
    );
    buttons.push({
      label: `${t(reader, row.awaitingViewer ? 'common:button.viewProvideConsent' : 'common:button.view')} ${row.id}`,
      command: `show ${row.id}`,
    });
    buttons.push({ label: `${t(reader, 'common:button.download')} ${row.id}`, command: `export ${row.id}` });
  }
  // The mark is explained under the rows it marks, so nobody has to guess what a star means.
  if (reply.rows.some((row) => row.awaitingViewer)) lines.push(t(reader, 'console:list.legend'));
  const pages = pageCommands(reply);
  if (pages.newer) buttons.push({ label: t(reader, 'common:button.newer'), command: pages.newer });
  if (pages.older) buttons.push({ label: t(reader, 'common:button.older'), command: pages.older });
  return { text: lines.join('\n'), buttons };
}
