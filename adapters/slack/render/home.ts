import type { types } from '@slack/bolt';
import type { AccountSummary, TransferRowView } from '../../../src/app/queries.js';
import { accountLabel, statusLabel, tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import { ACTION } from '../ids.js';
import { pagerBlock, rowDates } from './reply.js';
import {
  actions,
  button,
  context,
  divider,
  esc,
  fittedAccountLabel,
  header,
  option,
  section,
  type Block,
} from './blocks.js';
import { t } from './reader-text.js';

export interface HomeModel {
  accounts: AccountSummary[];
  /** The current Smart Account (`use`), if the user administers any. */
  current: AccountSummary | undefined;
  /** Compliance or licensing operations: without a current account, every transaction is listed. */
  seesEveryTransaction: boolean;
  /** Whether the Request button is drawn. */
  mayRequest: boolean;
  /** Said in place of the switcher to someone who administers no account (the core's words). */
  note?: Msg | undefined;
  rows: TransferRowView[];
  /** The `list` commands of the Newer / Older pages, when they exist. */
  pages?: { newer?: string; older?: string };
  notice?: Msg | undefined;
  /** Shown instead of everything else: the user is not in the inventory. */
  blocked?: Msg | undefined;
}

function rowBlocks(row: TransferRowView, reader: Reader): Block[] {
  const line = [
    `*${row.id}*  ·  ${statusLabel(reader.locale, row.status)}`,
    rowDates(row, reader).join('  ·  '),
    `${esc(accountLabel(reader.locale, row.source))} → ${esc(accountLabel(reader.locale, row.destination))}`,
  ].join('\n');
  const view = row.awaitingViewer
    ? button(t(reader, 'common:button.viewProvideConsent'), ACTION.homeConsent, row.id, 'primary')
    : button(t(reader, 'common:button.view'), ACTION.homeView, row.id);
  return [
    section(line),
    actions(`home_row:${row.id}`, [
      view,
      button(t(reader, 'common:button.download'), ACTION.homeDownload, row.id),
    ]),
  ];
}

/**
 * The App Home tab, the landing page: the current Smart Account with a switcher, its
 * transactions with View / View–Provide Consent / Download, and the button that starts a request.
 */
export function homeView(model: HomeModel, reader: Reader): types.HomeView {
  const blocks: Block[] = [header(t(reader, 'common:app.name'))];
  if (model.blocked) {
    blocks.push(section(`:no_entry: ${esc(tr(reader, model.blocked))}`));
    return { type: 'home', blocks };
  }
  if (model.notice) blocks.push(section(esc(tr(reader, model.notice))));
  if (model.accounts.length > 0) {
    const options = model.accounts
      .slice(0, 100)
      .map((a) => option(fittedAccountLabel(reader.locale, a), a.domain));
    const current = model.current ? options.find((o) => o.value === model.current!.domain) : undefined;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: model.current
          ? `*${t(reader, 'slack:home.current')}*\n${esc(accountLabel(reader.locale, model.current))} — ${t(reader, 'common:summary.assetCounts', { licenses: model.current.licenses, devices: model.current.devices })}`
          : `*${t(reader, 'slack:home.current')}*\n${t(reader, 'common:value.none')}`,
      },
      accessory: {
        type: 'static_select',
        action_id: ACTION.homeSwitch,
        placeholder: {
          type: 'plain_text',
          text: t(reader, 'common:button.switchSmartAccount').slice(0, 150),
        },
        options,
        ...(current ? { initial_option: current } : {}),
      },
    });
  } else if (model.note) {
    blocks.push(section(esc(tr(reader, model.note))));
  }
  if (model.mayRequest) {
    blocks.push(
      actions('home_actions', [
        button(t(reader, 'common:button.requestTransfer'), ACTION.homeRequest, 'new', 'primary'),
      ]),
    );
  }
  blocks.push(divider());
  const title = model.current
    ? t(reader, 'slack:list.titleFor', { domain: esc(model.current.domain) })
    : t(reader, model.seesEveryTransaction ? 'slack:list.titleAll' : 'slack:list.title');
  blocks.push(section(`*${title}*`));
  if (model.rows.length === 0) blocks.push(context([t(reader, 'core:list.none')]));
  for (const row of model.rows) blocks.push(...rowBlocks(row, reader));
  const pager = pagerBlock(model.pages ?? {}, reader, ACTION.homePage);
  if (pager) blocks.push(pager);
  return { type: 'home', blocks };
}
