import type { types } from '@slack/bolt';
import type { AccountSummary, TransferRowView } from '../../../src/app/queries.js';
import { labelled, statusLabel, tr, type Msg } from '../../../src/i18n/index.js';
import { ACTION } from '../ids.js';
import { actions, button, context, divider, esc, header, option, section, type Block } from './blocks.js';
import { t, when, type RenderContext } from './transfer.js';

export interface HomeModel {
  accounts: AccountSummary[];
  /** The current Smart Account (`use`), if the user administers any. */
  current: AccountSummary | undefined;
  rows: TransferRowView[];
  notice?: Msg | undefined;
  /** Shown instead of everything else: the user is not in the inventory. */
  blocked?: Msg | undefined;
}

const MAX_ROWS = 40;

function rowBlocks(row: TransferRowView, r: RenderContext): Block[] {
  const line = [
    `*${row.id}*  ·  ${statusLabel(r.locale, row.status)}`,
    [
      labelled(r.locale, t(r, 'common:field.transactionDate'), when(r, row.createdAt)),
      labelled(r.locale, t(r, 'common:field.completionDate'), when(r, row.completedAt)),
    ].join('  ·  '),
    `${esc(row.source)} → ${esc(row.destination)}`,
  ].join('\n');
  const view = row.awaitingViewer
    ? button(t(r, 'common:button.viewProvideConsent'), ACTION.homeConsent, row.id, 'primary')
    : button(t(r, 'common:button.view'), ACTION.homeView, row.id);
  return [
    section(line),
    actions(`home_row:${row.id}`, [
      view,
      button(t(r, 'common:button.download'), ACTION.homeDownload, row.id),
    ]),
  ];
}

/**
 * The App Home tab, the landing page (SPEC §7): the current Smart Account with a switcher, its
 * transactions with View / View–Provide Consent / Download, and the button that starts a request.
 */
export function homeView(model: HomeModel, r: RenderContext): types.HomeView {
  const blocks: Block[] = [header(t(r, 'common:app.name'))];
  if (model.blocked) {
    blocks.push(section(`:no_entry: ${esc(tr(r.locale, model.blocked))}`));
    return { type: 'home', blocks };
  }
  if (model.notice) blocks.push(section(esc(tr(r.locale, model.notice))));
  if (model.accounts.length > 0) {
    const options = model.accounts.slice(0, 100).map((a) => option(`${a.name} (${a.domain})`, a.domain));
    const current = model.current ? options.find((o) => o.value === model.current!.domain) : undefined;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: model.current
          ? `*${t(r, 'slack:home.current')}*\n${esc(model.current.name)} (${esc(model.current.domain)}) — ${t(r, 'common:summary.assetCounts', { licenses: model.current.licenses, devices: model.current.devices })}`
          : `*${t(r, 'slack:home.current')}*\n${t(r, 'common:value.none')}`,
      },
      accessory: {
        type: 'static_select',
        action_id: ACTION.homeSwitch,
        placeholder: { type: 'plain_text', text: t(r, 'common:button.switchSmartAccount').slice(0, 150) },
        options,
        ...(current ? { initial_option: current } : {}),
      },
    });
  } else {
    blocks.push(section(t(r, 'slack:home.noAccounts')));
  }
  blocks.push(
    actions('home_actions', [
      button(t(r, 'common:button.requestTransfer'), ACTION.homeRequest, 'new', 'primary'),
    ]),
  );
  blocks.push(divider());
  blocks.push(
    section(
      `*${t(r, model.current ? 'slack:list.titleFor' : 'slack:list.title', { domain: esc(model.current?.domain ?? '') })}*`,
    ),
  );
  if (model.rows.length === 0) blocks.push(context([t(r, 'slack:list.none')]));
  for (const row of model.rows.slice(0, MAX_ROWS)) blocks.push(...rowBlocks(row, r));
  if (model.rows.length > MAX_ROWS) {
    blocks.push(context([t(r, 'slack:home.more', { count: model.rows.length - MAX_ROWS })]));
  }
  return { type: 'home', blocks };
}
