import { formatAssetRef, parseAssetRef } from '../../../src/commands/asset-ref.js';
import { accountNamed, listAccounts, type AccountSummary } from '../../../src/app/queries.js';
import { listAssets, type AssetList, type AssetRow } from '../../../src/app/asset-list.js';
import type { Actor } from '../../../src/domain/types.js';
import type { SlackContext } from '../context.js';
import type { AccountRef } from '../../../src/commands/command.js';

/** One Smart Account the actor administers, by exact domain, with its counts per Virtual Account. */
export async function adminAccount(
  ctx: SlackContext,
  actor: Actor,
  domain: string | undefined,
): Promise<AccountSummary | undefined> {
  if (!domain) return undefined;
  const found = await listAccounts(ctx.deps, actor, domain, { limit: 100 });
  return found.find((a) => a.domain.toLowerCase() === domain.toLowerCase());
}

export async function accountName(
  ctx: SlackContext,
  domain: string | undefined,
): Promise<{ name: string; domain: string }> {
  if (!domain) return { name: '', domain: '' };
  return (await accountNamed(ctx.deps, domain)) ?? { name: '', domain };
}

/**
 * Assets of the journey's source for one tab. `SO:104857601-1` and `SN:…` typed whole are searched by
 * their sales order or serial, then narrowed to what was typed.
 */
export async function assetsFor(
  ctx: SlackContext,
  actor: Actor,
  source: AccountRef | undefined,
  tab: 'licenses' | 'devices',
  query: string | undefined,
  limit: number,
): Promise<AssetList | undefined> {
  if (!source) return undefined;
  const typed = query?.trim() ?? '';
  // A whole reference is searched by its value; a sales-order line by its order, then narrowed to the line.
  const ref = parseAssetRef(typed) ?? parseAssetRef(`SO:${typed}`);
  const line = ref?.kind === 'so' && ref.line !== undefined ? ref : undefined;
  const search = ref
    ? ref.kind === 'so'
      ? ref.salesOrder
      : formatAssetRef(ref).slice(ref.kind.length + 1)
    : typed || undefined;
  const result = await listAssets(ctx.deps, actor, source, tab, search, line ? 1000 : limit);
  if (!result.ok) return undefined;
  if (!line) return result.value;
  const wanted = formatAssetRef(line).toUpperCase();
  const rows: AssetRow[] = result.value.rows.filter((row) => row.ref.toUpperCase() === wanted);
  return { ...result.value, rows, more: false };
}
