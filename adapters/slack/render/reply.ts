import type { Reply } from '../../../src/app/dispatch.js';
import type { AccountSummary, AssetList, AssetRow, TransferRowView } from '../../../src/app/queries.js';
import { COMMAND_WORDS, NEW_OPTIONS, USAGE, type CommandWord } from '../../../src/commands/command.js';
import type { Refusal } from '../../../src/domain/types.js';
import { labelled, NO_DATE, statusLabel, tr, type Msg } from '../../../src/i18n/index.js';
import { ACTION } from '../ids.js';
import { button, chunkedSections, context, esc, section, type Block } from './blocks.js';
import { t, transferBlocks, transferText, when, type RenderContext } from './transfer.js';

export interface Rendered {
  text: string;
  blocks: Block[];
}

/** A refusal: what went wrong, then one line per problem. */
export function refusalMessage(refusal: Refusal, r: RenderContext): Rendered {
  const text = tr(r.locale, refusal.message);
  const details = (refusal.details ?? []).map((d) => `• ${esc(tr(r.locale, d))}`);
  return { text, blocks: [section(`:no_entry: ${esc(text)}`), ...chunkedSections(details).slice(0, 5)] };
}

export function noticeMessage(m: Msg, r: RenderContext): Rendered {
  const text = tr(r.locale, m);
  return { text, blocks: [section(esc(text))] };
}

function helpBlocks(r: RenderContext, topic?: CommandWord): Block[] {
  const usage = (word: CommandWord) => USAGE[word].map((u) => `\`/transfer ${esc(u)}\``).join('\n');
  if (topic) {
    const lines = [usage(topic), esc(t(r, `grammar:help.${topic}`))];
    if (topic === 'new') lines.push(...NEW_OPTIONS.map((o) => `• ${esc(t(r, `grammar:option.${o}`))}`));
    return [section(lines.join('\n'))];
  }
  const lines = COMMAND_WORDS.map((w) => `${usage(w)}\n${esc(t(r, `grammar:help.${w}`))}`);
  return [
    section(esc(t(r, 'grammar:guide.intro'))),
    ...chunkedSections(lines),
    context([
      esc(t(r, 'grammar:guide.quoting')),
      esc(t(r, 'grammar:guide.refs')),
      esc(t(r, 'grammar:guide.more')),
    ]),
  ];
}

export function accountLines(accounts: AccountSummary[], r: RenderContext): string[] {
  return accounts.map((a) => {
    const counts = t(r, 'common:summary.assetCounts', { licenses: a.licenses, devices: a.devices });
    const vas = a.virtualAccounts
      .map((v) => {
        const name = v.onPrem ? `${esc(v.name)} (${t(r, 'common:value.onPrem')})` : esc(v.name);
        const vaCounts = t(r, 'common:summary.assetCounts', { licenses: v.licenses, devices: v.devices });
        return `    ${labelled(r.locale, name, vaCounts)}`;
      })
      .join('\n');
    return `*${esc(a.name)}* (${esc(a.domain)}) — ${counts}${vas ? `\n${vas}` : ''}`;
  });
}

/** One asset as a person picks it: its reference and product, what kind it is, and why it cannot move if so. */
export function assetLine(row: AssetRow, r: RenderContext, withMinorLines = true): string {
  const detail =
    row.kind === 'license'
      ? [
          row.licenseType,
          row.webOrder && `WO ${row.webOrder}`,
          row.subscriptionId,
          row.pak && `PAK ${row.pak}`,
        ]
      : [
          row.licenseType,
          row.pnpStatus && `PnP ${row.pnpStatus}`,
          row.salesOrder && `SO ${row.salesOrder}`,
          row.hostId,
          row.uuid,
        ];
  const facts = detail
    .filter(Boolean)
    .map((d) => esc(String(d)))
    .join(' · ');
  const qty = row.kind === 'license' ? ` ×${row.quantity}` : '';
  const head = `\`${esc(row.ref)}\` ${esc(row.pid)}${qty}${facts ? ` · ${facts}` : ''} · ${esc(row.virtualAccount)}`;
  const lines = [row.eligibility.eligible ? `• ${head}` : `• ~${head}~`];
  if (withMinorLines) {
    for (const m of row.minorLines) lines.push(`    ${esc(m.line)} ${esc(m.pid)} ×${m.quantity}`);
  }
  if (!row.eligibility.eligible) {
    lines.push(
      `    :no_entry_sign: ${esc(t(r, 'slack:assets.notSelectable', { reason: tr(r.locale, row.eligibility.reason) }))}`,
    );
  } else {
    for (const w of row.eligibility.warnings) lines.push(`    :warning: ${esc(tr(r.locale, w))}`);
  }
  return lines.join('\n');
}

function assetsBlocks(list: AssetList, r: RenderContext): Block[] {
  const title = t(r, list.tab === 'licenses' ? 'common:field.licenses' : 'common:field.devices');
  const where = `${esc(list.smartAccount.name)} (${esc(list.smartAccount.domain)})${list.virtualAccount ? ` / ${esc(list.virtualAccount)}` : ''}`;
  const blocks: Block[] = [section(`*${title}* — ${where}`)];
  if (list.rows.length === 0) blocks.push(section(t(r, 'slack:assets.none')));
  blocks.push(...chunkedSections(list.rows.map((row) => assetLine(row, r))).slice(0, 8));
  if (list.more) blocks.push(context([t(r, 'slack:assets.more', { count: list.rows.length })]));
  return blocks;
}

export function transferRowLine(row: TransferRowView, r: RenderContext): string {
  return t(r, 'slack:list.row', {
    id: row.id,
    status: statusLabel(r.locale, row.status),
    source: esc(row.source),
    destination: esc(row.destination),
    created: when(r, row.createdAt),
    // The sentence names the completion date; an open transaction has none yet.
    completed: row.completedAt ? when(r, row.completedAt) : NO_DATE,
  });
}

function transfersBlocks(rows: TransferRowView[], r: RenderContext, smartAccount?: string): Block[] {
  const blocks: Block[] = [
    section(
      `*${t(r, smartAccount ? 'slack:list.titleFor' : 'slack:list.title', { domain: esc(smartAccount ?? '') })}*`,
    ),
  ];
  if (rows.length === 0) return [...blocks, section(t(r, 'slack:list.none'))];
  for (const row of rows.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: transferRowLine(row, r) },
      accessory: button(
        t(r, row.awaitingViewer ? 'common:button.viewProvideConsent' : 'common:button.view'),
        ACTION.view,
        row.id,
        row.awaitingViewer ? 'primary' : undefined,
      ),
    });
  }
  if (rows.length > 20) blocks.push(context([t(r, 'slack:list.more', { count: rows.length - 20 })]));
  return blocks;
}

/** A command's answer as Block Kit. `file` and `wizard` need Slack calls and are handled by the caller. */
export function renderReply(reply: Reply, r: RenderContext): Rendered {
  switch (reply.kind) {
    case 'help':
      return { text: t(r, 'grammar:guide.intro'), blocks: helpBlocks(r, reply.topic) };
    case 'accounts': {
      const lines = accountLines(reply.accounts, r);
      const title = `*${t(r, 'slack:accounts.title')}*`;
      return {
        text: t(r, 'slack:accounts.title'),
        blocks: [
          section(title),
          ...(lines.length ? chunkedSections(lines).slice(0, 10) : [section(t(r, 'slack:accounts.none'))]),
        ],
      };
    }
    case 'assets':
      return {
        text: t(r, reply.list.tab === 'licenses' ? 'common:field.licenses' : 'common:field.devices'),
        blocks: assetsBlocks(reply.list, r),
      };
    case 'wizard':
      return {
        text: t(r, 'slack:wizard.openPrompt'),
        blocks: [section(t(r, 'slack:wizard.openPrompt'))],
      };
    case 'transfer':
      return {
        text: reply.notice ? tr(r.locale, reply.notice) : transferText(reply.view, r),
        blocks: transferBlocks(reply.view, r, {
          notice: reply.notice,
          warnings: reply.warnings,
          history: reply.notice === undefined,
        }),
      };
    case 'transfers':
      return { text: t(r, 'slack:list.title'), blocks: transfersBlocks(reply.rows, r, reply.smartAccount) };
    case 'file':
      return noticeMessage(reply.notice, r);
    case 'done':
      return noticeMessage(reply.message, r);
    case 'refused':
      return refusalMessage(reply.refusal, r);
    default: {
      const unreachable: never = reply;
      return unreachable;
    }
  }
}
