import type { AccountRef } from '../commands/command.js';
import { formatAssetRef, parseAssetRef, type AssetRef } from '../commands/asset-ref.js';
import type { Actor } from '../domain/types.js';
import { msg, type Msg } from '../domain/msg.js';
import type { AppDeps } from './deps.js';
import { listAssets, type AssetRow } from './asset-list.js';
import { MAX_SELECTED, summarize, type Expanded } from './selection.js';
import type { Result } from './run.js';

/** The file's references checked against the source: what moves, and everything left out with its reason. */
export interface FileSelection {
  expanded: Expanded;
  /** Every reference left out (not only the ones the review names), for the downloadable list. */
  leftOut: { ref: string; reason: Msg }[];
}

/** The keys a row is found by: its own reference and every identifier `assets:` accepts for it. */
function keysOf(row: AssetRow): string[] {
  const keys = [row.ref.toUpperCase()];
  if (row.kind === 'license') {
    const ref = parseAssetRef(row.ref);
    if (ref?.kind === 'so') keys.push(`SO:${ref.salesOrder}`.toUpperCase());
    if (row.webOrder) keys.push(`WO:${row.webOrder}`.toUpperCase());
    if (row.subscriptionId) keys.push(`SUB:${row.subscriptionId}`.toUpperCase());
    if (row.pak) keys.push(`PAK:${row.pak}`.toUpperCase());
  }
  return keys;
}

/**
 * Checks many references at once: the source's assets are listed once (two queries, however long the
 * file) and each reference is looked up in memory. What is not in the source, or not eligible, is left
 * out with its reason; the rest is counted as the review counts a whole selection.
 */
export async function selectFromFile(
  deps: AppDeps,
  actor: Actor,
  source: AccountRef,
  refs: readonly AssetRef[],
): Promise<Result<FileSelection>> {
  const byKey = new Map<string, AssetRow[]>();
  for (const tab of ['licenses', 'devices'] as const) {
    const list = await listAssets(deps, actor, source, tab, undefined, MAX_SELECTED);
    if (!list.ok) return list;
    for (const row of list.value.rows)
      for (const key of keysOf(row)) {
        const rows = byKey.get(key);
        if (rows) rows.push(row);
        else byKey.set(key, [row]);
      }
  }
  const where = source.virtualAccount
    ? `${source.smartAccount}/${source.virtualAccount}`
    : source.smartAccount;
  const counted = new Map<string, { kind: 'license' | 'device'; virtualAccount: string }>();
  const leftOut = new Map<string, Msg>();
  for (const ref of refs) {
    const text = formatAssetRef(ref);
    const rows = byKey.get(text.toUpperCase());
    if (rows === undefined) {
      leftOut.set(text, msg('core:referenceFile.notInSource', { domain: where }));
      continue;
    }
    for (const row of rows) {
      if (row.eligibility.eligible) {
        counted.set(row.ref, { kind: row.kind, virtualAccount: row.virtualAccount });
        leftOut.delete(row.ref);
      } else if (!counted.has(row.ref)) {
        leftOut.set(row.ref, row.eligibility.reason);
      }
    }
  }
  return {
    ok: true,
    value: {
      expanded: summarize(counted, leftOut),
      leftOut: [...leftOut].map(([ref, reason]) => ({ ref, reason })),
    },
  };
}
