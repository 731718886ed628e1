import type { Status } from '../domain/status.js';
import { translate } from '../i18n/index.js';
import type { AppDeps } from './deps.js';
import type { ItemRow } from './ports/transfers.js';
import { refuse } from '../domain/types.js';
import { okResult, refused, type Result } from './run.js';
import { toItemView, transferVirtualAccountIds, type ItemView, type TransferView } from './views.js';

/** What `transfer-bot show ID --json` prints for one transfer (and `list --json`, without the history). */
export type TransferJson = Record<string, unknown>;

/** The fields every transfer's JSON has; reasons in English, for scripts that read them. */
function baseJson(
  transfer: Pick<TransferView, 'id' | 'status' | 'sameLegalEntity' | 'destinationVirtualAccount'> & {
    source: string;
    destination: string;
  },
  items: readonly ItemView[],
): TransferJson {
  return {
    id: transfer.id,
    status: transfer.status,
    sourceSmartAccount: transfer.source,
    destinationSmartAccount: transfer.destination,
    destinationVirtualAccount: transfer.destinationVirtualAccount,
    sameLegalEntity: transfer.sameLegalEntity,
    items: items.map((item) => ({
      ref: item.ref,
      kind: item.kind,
      result: item.result,
      reason: item.reason ? translate('en', item.reason.key, item.reason.params) : null,
    })),
  };
}

/** One transfer with its history. */
export function transferJson(view: TransferView): TransferJson {
  return {
    ...baseJson({ ...view, source: view.source.domain, destination: view.destination.domain }, view.items),
    history: view.history.map((entry) => ({
      at: entry.at.toISOString(),
      actor: entry.actor,
      from: entry.from,
      to: entry.to,
      reason: entry.reason,
    })),
  };
}

/**
 * Every transfer touching a Smart Account (or all of them), newest first, with their items. The operator at
 * the command line sees everything; the rows and their items are read in a few statements, not one per row.
 */
export async function transferListJson(
  deps: Pick<AppDeps, 'store'>,
  filter: { smartAccount?: string | undefined; status?: Status | undefined; limit: number },
): Promise<Result<TransferJson[]>> {
  const { store } = deps;
  let smartAccountIds: number[] | 'all' = 'all';
  if (filter.smartAccount) {
    const account = await store.accounts.findSmartAccount(filter.smartAccount);
    if (!account)
      return refused(refuse('invalid', 'core:refusal.unknownAccount', { domain: filter.smartAccount }));
    smartAccountIds = [account.id];
  }
  const rows = await store.transfers.list({ smartAccountIds, status: filter.status, limit: filter.limit });
  const ids = rows.map((row) => row.id);
  const [accounts, vas, items] = await Promise.all([
    store.accounts.smartAccountsByIds(
      rows.flatMap((row) => [row.sourceSmartAccountId, row.destinationSmartAccountId]),
    ),
    store.accounts.virtualAccountsByIds(transferVirtualAccountIds(rows)),
    store.transfers.itemsOf(ids),
  ]);
  const itemsOf = new Map<string, ItemRow[]>();
  for (const item of items) itemsOf.set(item.transferId, [...(itemsOf.get(item.transferId) ?? []), item]);
  const domain = (id: number) => accounts.get(id)?.domain ?? String(id);
  return okResult(
    rows.map((row) =>
      baseJson(
        {
          id: row.id,
          status: row.status,
          sameLegalEntity: row.sameLegalEntity,
          source: domain(row.sourceSmartAccountId),
          destination: domain(row.destinationSmartAccountId),
          destinationVirtualAccount: vas.get(row.destinationVirtualAccountId)?.name ?? '',
        },
        (itemsOf.get(row.id) ?? []).map(toItemView),
      ),
    ),
  );
}
