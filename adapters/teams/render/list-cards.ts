import { assetFacts } from '../../../src/app/asset-rows.js';
import { virtualAccountLabel, type AccountSummary, type TransferRowView } from '../../../src/app/queries.js';
import type { AssetList, AssetRow } from '../../../src/app/asset-list.js';
import type { Status } from '../../../src/domain/status.js';
import {
  accountLabel,
  completionDateText,
  formatQuantity,
  labelled,
  msg,
  type Msg,
} from '../../../src/i18n/index.js';
import {
  actionSet,
  adaptiveCard,
  brief,
  cut,
  choiceSet,
  container,
  factSet,
  fitCard,
  heading,
  plain,
  submitAction,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from './card.js';
import { accountWord, quoteWord } from './quote.js';
import type { Texts } from './texts.js';
import { openWizardAction } from './wizard-entry.js';

const MAX_ACCOUNTS = 20;
/** Virtual Accounts listed under one account: an account may have hundreds. */
export const MAX_VIRTUAL_ACCOUNTS_SHOWN = 10;

/**
 * `accounts [QUERY]`: each Smart Account with its counts, per Virtual Account too ("show counts"), and how
 * many more match: `more` the core left out, with those the card has no room for.
 */
export function renderAccountsCard(
  accounts: AccountSummary[],
  texts: Texts,
  query?: string,
  more = 0,
): AdaptiveCard {
  return fitCard(Math.min(accounts.length, MAX_ACCOUNTS), (shown) =>
    drawAccountsCard(accounts, texts, query, shown, more),
  );
}

function drawAccountsCard(
  accounts: AccountSummary[],
  texts: Texts,
  query: string | undefined,
  shown: number,
  more: number,
): AdaptiveCard {
  const body: CardElement[] = [
    heading(
      query ? texts.t('teams:accounts.titleQuery', { query: brief(query) }) : texts.t('teams:accounts.title'),
    ),
  ];
  if (accounts.length === 0)
    body.push(textBlock(texts.t(query ? 'teams:accounts.none' : 'core:accounts.none')));
  for (const a of accounts.slice(0, shown)) {
    const vas = a.virtualAccounts.slice(0, MAX_VIRTUAL_ACCOUNTS_SHOWN);
    const moreVas = a.virtualAccounts.length - vas.length;
    body.push(
      container(
        [
          textBlock(
            accountLabel(texts.reader.locale, {
              name: a.name && `**${plain(a.name)}**`,
              domain: plain(a.domain),
            }),
          ),
          textBlock(assetCounts(texts, a), { spacing: 'None', isSubtle: true }),
          factSet(
            vas.map((v) => [plain(virtualAccountLabel(texts.reader.locale, v)), assetCounts(texts, v)]),
          ),
          ...(moreVas > 0
            ? [
                textBlock(texts.t('teams:accounts.moreVirtualAccounts', { count: moreVas }), {
                  isSubtle: true,
                  spacing: 'None',
                }),
              ]
            : []),
          actionSet([
            submitAction(texts.t('common:field.licenses'), {
              command: `assets ${accountWord(a.domain)} licenses`,
            }),
            submitAction(texts.t('common:field.devices'), {
              command: `assets ${accountWord(a.domain)} devices`,
            }),
          ]),
        ],
        { separator: true, spacing: 'Medium' },
      ),
    );
  }
  const left = accounts.length - Math.min(shown, accounts.length) + more;
  if (left > 0) body.push(textBlock(texts.t('core:accounts.more', { count: left }), { isSubtle: true }));
  return adaptiveCard(body);
}

/** One asset as a line: what it is, and its details (minor lines, type, PnP status, identifiers …). */
export function assetSummary(row: AssetRow, texts: Texts): { title: string; details: string } {
  const locale = texts.reader.locale;
  const minor = row.minorLines
    .map((m) => `${m.line} ${m.pid} ${formatQuantity(m.quantity, locale)}`)
    .join(texts.t('common:format.listSeparator'));
  const details = [
    ...(minor ? [labelled(locale, texts.t('common:field.minorLines'), minor)] : []),
    ...assetFacts(locale, row),
  ];
  return {
    title:
      row.kind === 'license'
        ? `${row.ref} · ${row.pid} ${formatQuantity(row.quantity, locale)}`
        : `${row.ref} · ${row.pid}`,
    details: brief(details.join(' · ')),
  };
}

/** Why an asset cannot be selected, or what to know when it moves. */
export function eligibilityLines(row: AssetRow, texts: Texts): CardElement[] {
  if (!row.eligibility.eligible) {
    return [
      textBlock(texts.t('teams:assets.notSelectable', { reason: texts.cardMsg(row.eligibility.reason) }), {
        color: 'Attention',
        spacing: 'None',
      }),
    ];
  }
  return row.eligibility.warnings.map((w) =>
    textBlock(`⚠ ${texts.cardMsg(w)}`, { color: 'Warning', spacing: 'None' }),
  );
}

/**
 * One asset in a list: its title (or what stands for it, such as the wizard's toggle), its details,
 * and why it cannot be selected or what to know when it moves.
 */
export function assetEntry(row: AssetRow, texts: Texts, head?: (title: string) => CardElement): CardElement {
  const { title, details } = assetSummary(row, texts);
  return container(
    [
      head ? head(title) : textBlock(`**${brief(title)}**`),
      ...(details ? [textBlock(details, { isSubtle: true, spacing: 'None' })] : []),
      ...eligibilityLines(row, texts),
    ],
    { separator: true },
  );
}

/** `licenses` and `devices` counts of an account or a Virtual Account, in one line. */
export const assetCounts = (texts: Texts, c: { licenses: number; devices: number }): string =>
  texts.t('common:summary.assetCounts', { licenses: c.licenses, devices: c.devices });

/** `assets SA[/VA] [licenses|devices] [QUERY]`, with the two tabs as buttons. */
export function renderAssetsCard(list: AssetList, texts: Texts, query?: string): AdaptiveCard {
  return fitCard(list.rows.length, (shown) => drawAssetsCard(list, texts, query, shown));
}

function drawAssetsCard(
  list: AssetList,
  texts: Texts,
  query: string | undefined,
  shown: number,
): AdaptiveCard {
  const where = accountWord(list.smartAccount.domain, list.virtualAccount);
  const body: CardElement[] = [
    heading(
      texts.t('teams:assets.title', {
        account: plain(list.smartAccount.domain),
        accountName: plain(list.smartAccount.name),
      }),
    ),
    textBlock(
      [
        texts.t(`common:field.${list.tab}`),
        list.virtualAccount ? plain(list.virtualAccount) : null,
        query ? `“${plain(query)}”` : null,
      ]
        .filter((p): p is string => p !== null)
        .join(' · '),
      { isSubtle: true, spacing: 'None' },
    ),
  ];
  if (list.rows.length === 0) body.push(textBlock(texts.t('teams:assets.none')));
  for (const row of list.rows.slice(0, shown)) body.push(assetEntry(row, texts));
  if (list.more || shown < list.rows.length)
    body.push(textBlock(texts.t('teams:assets.more'), { isSubtle: true }));
  const other = list.tab === 'licenses' ? 'devices' : 'licenses';
  return adaptiveCard(body, [
    submitAction(texts.t(`common:field.${other}`), {
      command: `assets ${where} ${other}${query ? ` ${quoteWord(query)}` : ''}`,
    }),
  ]);
}

/** The landing page: transactions with ID, dates and status, and what the viewer can do with each. */
/** The accounts a list card's switcher offers at most, and how much of a name a list row shows. */
export const SWITCHER_ACCOUNTS = 25;
const LIST_NAME_MAX = 40;

/** `Name (domain)` as a list row shows it: the name cut, the domain (what tells accounts apart) whole. */
function rowAccount(texts: Texts, account: { domain: string; name: string }): string {
  return accountLabel(texts.reader.locale, {
    name: cut(account.name, LIST_NAME_MAX),
    domain: account.domain,
  });
}

/**
 * What the core says of the viewer beside a page of transactions (see `LandingAccounts`): the accounts
 * they administer (the "current Smart Account" switcher), whether they may request (the Request button),
 * and what the page says when they may not.
 */
export interface ListLanding {
  accounts: { domain: string; name: string }[];
  mayRequest: boolean;
  note?: Msg | undefined;
}

export function renderTransfersCard(
  rows: TransferRowView[],
  texts: Texts,
  /** The account and status the page is of, and what it says when it has no row (the core's words). */
  filter: { smartAccount?: string; status?: Status; empty?: Msg; everyTransaction?: boolean },
  landing: ListLanding = { accounts: [], mayRequest: false },
  /** The commands of the Newer / Older buttons, when those pages exist. */
  pages: { newer?: string; older?: string } = {},
): AdaptiveCard {
  // Every row of the page stays (the pages are the core's); the switcher offers what fits.
  return fitCard(Math.min(SWITCHER_ACCOUNTS, landing.accounts.length), (switcher) =>
    drawTransfersCard(rows, texts, filter, landing, pages, switcher),
  );
}

function drawTransfersCard(
  rows: TransferRowView[],
  texts: Texts,
  filter: { smartAccount?: string; status?: Status; empty?: Msg; everyTransaction?: boolean },
  { accounts, mayRequest, note }: ListLanding,
  pages: { newer?: string; older?: string },
  switcher: number,
): AdaptiveCard {
  const title = filter.smartAccount
    ? texts.t('teams:transfers.titleAccount', { domain: plain(filter.smartAccount) })
    : texts.t(filter.everyTransaction ? 'teams:transfers.titleAll' : 'teams:transfers.title');
  const body: CardElement[] = [heading(title)];
  if (filter.status) body.push(textBlock(texts.status(filter.status), { isSubtle: true, spacing: 'None' }));
  if (note) body.push(textBlock(texts.cardMsg(note)));
  if (accounts.length > 1 && switcher > 0) {
    // A card has a size Teams accepts: the switcher offers the first accounts (the current one always),
    // each name cut; `use DOMAIN` reaches any other.
    const current = accounts.filter((a) => a.domain === filter.smartAccount);
    const offered = [...current, ...accounts.filter((a) => a.domain !== filter.smartAccount)].slice(
      0,
      switcher,
    );
    body.push(
      choiceSet(
        'useAccount',
        offered.map((a) => ({
          title: accountLabel(texts.reader.locale, { name: cut(a.name, LIST_NAME_MAX), domain: a.domain }),
          value: a.domain,
        })),
        {
          label: texts.t('common:field.smartAccount'),
          ...(filter.smartAccount ? { value: filter.smartAccount } : {}),
        },
      ),
      actionSet([
        submitAction(texts.t('common:button.switchSmartAccount'), { command: 'use' }, { inputs: 'auto' }),
      ]),
    );
  }
  if (rows.length === 0) body.push(textBlock(texts.msg(filter.empty ?? msg('core:list.none'))));
  for (const r of rows) {
    body.push(
      container(
        [
          textBlock(`**${r.id}** · ${texts.status(r.status)}`),
          factSet([
            [texts.t('common:field.source'), plain(rowAccount(texts, r.source))],
            [texts.t('common:field.destination'), plain(rowAccount(texts, r.destination))],
            [texts.t('common:field.transactionDate'), texts.date(r.createdAt)],
            [texts.t('common:field.completionDate'), completionDateText(texts.reader, r)],
          ]),
          actionSet([
            submitAction(
              texts.t(r.awaitingViewer ? 'common:button.viewProvideConsent' : 'common:button.view'),
              {
                command: `show ${r.id}`,
              },
            ),
            submitAction(texts.t('common:button.download'), { command: `export ${r.id}` }),
          ]),
        ],
        { separator: true, spacing: 'Medium' },
      ),
    );
  }
  const pager = [
    ...(pages.newer ? [submitAction(texts.t('common:button.newer'), { command: pages.newer })] : []),
    ...(pages.older ? [submitAction(texts.t('common:button.older'), { command: pages.older })] : []),
  ];
  if (pager.length > 0) body.push(actionSet(pager));
  const actions: CardElement[] = mayRequest ? [openWizardAction(texts)] : [];
  if (filter.smartAccount)
    actions.push(
      submitAction(texts.t('common:button.download'), {
        command: `export ${accountWord(filter.smartAccount)}`,
      }),
    );
  return adaptiveCard(body, actions);
}
