import type { Reply } from '../../../src/app/dispatch.js';
import { pageCommands } from '../../../src/app/landing-page.js';
import { assetFacts } from '../../../src/app/asset-rows.js';
import { firstProblems } from '../../../src/app/problems.js';
import { guideText, type Guide } from '../../../src/app/guides.js';
import { virtualAccountLabel, type AccountSummary, type TransferRowView } from '../../../src/app/queries.js';
import type { AssetList, AssetRow } from '../../../src/app/asset-list.js';
import { COMMAND_WORDS, NEW_OPTIONS, USAGE, type CommandWord } from '../../../src/commands/command.js';
import type { Refusal } from '../../../src/domain/types.js';
import {
  accountLabel,
  completionDateText,
  formatQuantity,
  labelled,
  msg,
  statusLabel,
  tr,
  type Msg,
  type Reader,
} from '../../../src/i18n/index.js';
import { REPLACED_MESSAGE, type DraftOffer } from '../../../src/app/journey/in-progress.js';
import { ACTION } from '../ids.js';
import {
  actions,
  button,
  chunkedSections,
  context,
  esc,
  fittedSections,
  section,
  type Block,
} from './blocks.js';
import { transferBlocks, transferText } from './transfer.js';
import { t, when } from './reader-text.js';

export interface Rendered {
  text: string;
  blocks: Block[];
}

/** A refusal: what went wrong, then one line per problem (as many as five sections hold, the rest counted). */
export function refusalMessage(refusal: Refusal, reader: Reader): Rendered {
  const text = tr(reader, refusal.message);
  const details = refusal.details ?? [];
  const lines = (shown: number) => firstProblems(details, shown).map((d) => `• ${esc(tr(reader, d))}`);
  return {
    text: esc(text),
    blocks: [section(`:no_entry: ${esc(text)}`), ...fittedSections(details.length, lines, 5)],
  };
}

export function noticeMessage(message: Msg, reader: Reader): Rendered {
  const text = tr(reader, message);
  return { text: esc(text), blocks: [section(esc(text))] };
}

/** A direct message has no trigger to open a modal with: the wizard's draft is opened by this button. */
export function openWizardMessage(draftId: string, reader: Reader, replaced?: boolean): Rendered {
  const text = t(reader, 'slack:wizard.openPrompt');
  const note = replaced ? [context([esc(tr(reader, REPLACED_MESSAGE))])] : [];
  return {
    text,
    blocks: [
      section(text),
      ...note,
      actions('wizard', [
        button(t(reader, 'common:button.requestTransfer'), ACTION.openWizard, draftId, 'primary'),
      ]),
    ],
  };
}

/** The request in progress, offered again: Continue it (every answer kept) or Start over. */
export function draftOfferMessage(offer: DraftOffer, reader: Reader): Rendered {
  const text = esc(tr(reader, offer.message));
  return {
    text,
    blocks: [
      section(text),
      actions('draft_offer', [
        button(t(reader, 'core:journey.inProgress.continue'), ACTION.draftContinue, offer.draftId, 'primary'),
        button(t(reader, 'core:journey.inProgress.startOver'), ACTION.draftStartOver, offer.draftId),
      ]),
    ],
  };
}

function helpBlocks(reader: Reader, topic?: CommandWord): Block[] {
  const usage = (word: CommandWord) => USAGE[word].map((u) => `\`/transfer ${esc(u)}\``).join('\n');
  if (topic) {
    const lines = [usage(topic), esc(t(reader, `grammar:help.${topic}`))];
    if (topic === 'new') lines.push(...NEW_OPTIONS.map((o) => `• ${esc(t(reader, `grammar:option.${o}`))}`));
    return [section(lines.join('\n'))];
  }
  const lines = COMMAND_WORDS.map((w) => `${usage(w)}\n${esc(t(reader, `grammar:help.${w}`))}`);
  return [
    section(esc(t(reader, 'grammar:guide.intro'))),
    ...chunkedSections(lines),
    context([
      esc(t(reader, 'grammar:guide.quoting')),
      esc(t(reader, 'grammar:guide.refs')),
      esc(t(reader, 'grammar:guide.more')),
    ]),
  ];
}

export function accountLines(accounts: AccountSummary[], reader: Reader): string[] {
  return accounts.map((a) => {
    const counts = t(reader, 'common:summary.assetCounts', { licenses: a.licenses, devices: a.devices });
    const vas = a.virtualAccounts
      .map((v) => {
        const name = esc(virtualAccountLabel(reader.locale, v));
        const vaCounts = t(reader, 'common:summary.assetCounts', {
          licenses: v.licenses,
          devices: v.devices,
        });
        return `    ${labelled(reader.locale, name, vaCounts)}`;
      })
      .join('\n');
    const name = accountLabel(reader.locale, { name: a.name && `*${esc(a.name)}*`, domain: esc(a.domain) });
    return `${name} — ${counts}${vas ? `\n${vas}` : ''}`;
  });
}

/** One asset as a person picks it: its reference and product, what kind it is, and why it cannot move if so. */
export function assetLine(row: AssetRow, reader: Reader, withMinorLines = true): string {
  const facts = assetFacts(reader.locale, row)
    .map((fact) => esc(fact))
    .join(' · ');
  const qty = row.kind === 'license' ? ` ${formatQuantity(row.quantity, reader.locale)}` : '';
  const head = `\`${esc(row.ref)}\` ${esc(row.pid)}${qty}${facts ? ` · ${facts}` : ''} · ${esc(row.virtualAccount)}`;
  const lines = [row.eligibility.eligible ? `• ${head}` : `• ~${head}~`];
  if (withMinorLines) {
    for (const m of row.minorLines)
      lines.push(`    ${esc(m.line)} ${esc(m.pid)} ${formatQuantity(m.quantity, reader.locale)}`);
  }
  if (!row.eligibility.eligible) {
    lines.push(
      `    :no_entry_sign: ${esc(t(reader, 'slack:assets.notSelectable', { reason: tr(reader, row.eligibility.reason) }))}`,
    );
  } else {
    for (const w of row.eligibility.warnings) lines.push(`    :warning: ${esc(tr(reader, w))}`);
  }
  return lines.join('\n');
}

function assetsBlocks(list: AssetList, reader: Reader): Block[] {
  const title = t(reader, list.tab === 'licenses' ? 'common:field.licenses' : 'common:field.devices');
  const where = esc(accountLabel(reader.locale, list.smartAccount, list.virtualAccount));
  const blocks: Block[] = [section(`*${title}* — ${where}`)];
  if (list.rows.length === 0) blocks.push(section(t(reader, 'slack:assets.none')));
  blocks.push(...chunkedSections(list.rows.map((row) => assetLine(row, reader))).slice(0, 8));
  if (list.more) blocks.push(context([t(reader, 'slack:assets.more', { count: list.rows.length })]));
  return blocks;
}

/**
 * A transaction's two dates as a row of a list shows them, labelled as Teams' list cards and every other
 * surface label them (Transaction date, Completion date: the portal's words, and the deck's in Japanese),
 * the completion date "Not yet" while one may still come.
 */
export function rowDates(row: TransferRowView, reader: Reader): [string, string] {
  return [
    labelled(reader.locale, t(reader, 'common:field.transactionDate'), when(reader, row.createdAt)),
    labelled(reader.locale, t(reader, 'common:field.completionDate'), completionDateText(reader, row)),
  ];
}

export function transferRowLine(row: TransferRowView, reader: Reader): string {
  const route = `${esc(accountLabel(reader.locale, row.source))} → ${esc(accountLabel(reader.locale, row.destination))}`;
  return `*${row.id}* · ${statusLabel(reader.locale, row.status)}\n${[route, ...rowDates(row, reader)].join(' · ')}`;
}

/** What a page of transactions is titled, heading and notification alike: one account's, every one, or yours. */
function transfersTitle(reply: Extract<Reply, { kind: 'transfers' }>, reader: Reader): string {
  if (reply.smartAccount) return t(reader, 'slack:list.titleFor', { domain: esc(reply.smartAccount) });
  return t(reader, reply.everyTransaction ? 'slack:list.titleAll' : 'slack:list.title');
}

function transfersBlocks(reply: Extract<Reply, { kind: 'transfers' }>, reader: Reader): Block[] {
  const { rows } = reply;
  const blocks: Block[] = [section(`*${transfersTitle(reply, reader)}*`)];
  if (rows.length === 0) return [...blocks, section(esc(tr(reader, reply.empty ?? msg('core:list.none'))))];
  for (const row of rows) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: transferRowLine(row, reader) },
      accessory: button(
        t(reader, row.awaitingViewer ? 'common:button.viewProvideConsent' : 'common:button.view'),
        ACTION.view,
        row.id,
        row.awaitingViewer ? 'primary' : undefined,
      ),
    });
  }
  const pager = pagerBlock(pageCommands(reply), reader, ACTION.listPage);
  return pager ? [...blocks, pager] : blocks;
}

/** Newer / Older under a page of transactions; each button carries the `list` command of its page. */
export function pagerBlock(
  pages: { newer?: string; older?: string },
  reader: Reader,
  actionId: string,
): Block | undefined {
  const buttons = [
    ...(pages.newer ? [button(t(reader, 'common:button.newer'), `${actionId}_newer`, pages.newer)] : []),
    ...(pages.older ? [button(t(reader, 'common:button.older'), `${actionId}_older`, pages.older)] : []),
  ];
  return buttons.length > 0 ? actions('list_pages', buttons) : undefined;
}

/** `help statuses`, `help support`: a title and its entries, each label in bold. */
function guideMessage(guide: Guide, reader: Reader): Rendered {
  const title = tr(reader, guide.title);
  const lines = guide.entries.map((e) => {
    const text = esc(guideText(reader.locale, e.text));
    return e.label ? `*${esc(tr(reader, e.label))}* — ${text}` : text;
  });
  return { text: title, blocks: [section(`*${esc(title)}*`), ...chunkedSections(lines)] };
}

/** Sections of accounts one `accounts` reply holds. */
const ACCOUNT_SECTIONS = 10;

/** A command's answer as Block Kit. `file` and `wizard` need Slack calls and are handled by the caller. */
export function renderReply(reply: Reply, reader: Reader): Rendered {
  switch (reply.kind) {
    case 'help':
      return { text: t(reader, 'grammar:guide.intro'), blocks: helpBlocks(reader, reply.topic) };
    case 'accounts': {
      const lines = accountLines(reply.accounts, reader);
      // A reply holds ten sections of accounts; those beyond are counted with the ones the core left out.
      let shown = lines.length;
      while (chunkedSections(lines.slice(0, shown)).length > ACCOUNT_SECTIONS) shown--;
      const more = reply.more + lines.length - shown;
      const title = `*${t(reader, 'slack:accounts.title')}*`;
      return {
        text: t(reader, 'slack:accounts.title'),
        blocks: [
          section(title),
          ...(lines.length
            ? chunkedSections(lines.slice(0, shown))
            : [section(t(reader, reply.query ? 'slack:accounts.none' : 'core:accounts.none'))]),
          ...(more > 0 ? [context([esc(t(reader, 'core:accounts.more', { count: more }))])] : []),
        ],
      };
    }
    case 'assets':
      return {
        text: t(reader, reply.list.tab === 'licenses' ? 'common:field.licenses' : 'common:field.devices'),
        blocks: assetsBlocks(reply.list, reader),
      };
    case 'wizard':
      return {
        text: t(reader, 'slack:wizard.openPrompt'),
        blocks: [section(t(reader, 'slack:wizard.openPrompt'))],
      };
    case 'draftOffer':
      return draftOfferMessage(reply.offer, reader);
    case 'transfer':
      return {
        text: esc(reply.notice ? tr(reader, reply.notice) : transferText(reply.view, reader)),
        blocks: transferBlocks(reply.view, reader, {
          notice: reply.notice,
          warnings: reply.warnings,
          selection: reply.selection,
          history: reply.notice === undefined,
        }),
      };
    case 'transfers':
      return {
        text: transfersTitle(reply, reader),
        blocks: transfersBlocks(reply, reader),
      };
    case 'guide':
      return guideMessage(reply.guide, reader);
    case 'file':
      return noticeMessage(reply.notice, reader);
    case 'done':
      return noticeMessage(reply.message, reader);
    case 'refused':
      return refusalMessage(reply.refusal, reader);
    default: {
      const unreachable: never = reply;
      return unreachable;
    }
  }
}
