import { accountNamed, listAccounts, type AccountSummary } from '../../../src/app/queries.js';
import { listTypedAssets, type AssetList } from '../../../src/app/asset-list.js';
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

/** Assets of the journey's source for one tab, as the typeahead finds what was typed (src/app). */
export async function assetsFor(
  ctx: SlackContext,
  actor: Actor,
  source: AccountRef | undefined,
  tab: 'licenses' | 'devices',
  query: string | undefined,
  limit: number,
): Promise<AssetList | undefined> {
  if (!source) return undefined;
  const result = await listTypedAssets(ctx.deps, actor, source, tab, query, limit);
  return result.ok ? result.value : undefined;
}
