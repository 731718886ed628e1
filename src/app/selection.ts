import type { AccountRef } from '../commands/command.js';
import { parseAssetRef, type AssetRef, type AssetTab, type WholeSelection } from '../commands/asset-ref.js';
import type { Actor } from '../domain/types.js';
import { keyParam, msg, type Msg } from '../domain/msg.js';
import { deviceRef, licenseRef } from './asset-rows.js';
import type { AppDeps } from './deps.js';
import { listAssets } from './asset-list.js';
import { firstProblems } from './problems.js';
import { resolveAccounts, type RequestInput } from './request.js';
import { resolveAssets } from './request-assets.js';

/** Named references and whole selections, as a request's `assets` or the wizard's asset step give them. */
export interface AssetSelection {
  refs: AssetRef[];
  whole: WholeSelection[];
}

/** The most assets a whole selection takes in (the export's limit of rows). */
export const MAX_SELECTED = 100_000;
/** Rows of ineligible assets the review names; the rest are counted. */
export const LEFT_OUT_SHOWN = 50;
/** Rows of each kind the asset step shows for the current search. */
export const ASSET_PAGE = 15;

export interface ReviewSummary {
  licenses: number;
  devices: number;
  perVirtualAccount: { name: string; licenses: number; devices: number }[];
  /** Assets a whole selection left out, with the reason; at most LEFT_OUT_SHOWN. */
  leftOut: { ref: string; reason: Msg }[];
  leftOutTotal: number;
}

export interface Expanded {
  refs: AssetRef[];
  review: ReviewSummary;
}

export type Expansion = { ok: true; expanded: Expanded } | { ok: false; error: Msg; details: Msg[] };

/**
 * The selection as concrete references: named ones checked as the request will check them (any problem
 * is returned), whole selections narrowed to their eligible assets (the others left out with a reason).
 */
export async function expandAssets(
  deps: AppDeps,
  actor: Actor,
  input: RequestInput,
  selection: AssetSelection,
): Promise<Expansion> {
  const source = input.source;
  const counted = new Map<string, { kind: 'license' | 'device'; virtualAccount: string }>();
  const leftOut = new Map<string, Msg>();
  if (selection.refs.length === 0 && selection.whole.length === 0)
    return { ok: false, error: msg('core:refusal.noAssets'), details: [] };

  if (selection.refs.length > 0) {
    // Refused for accounts the requester may not move between (checkRequest): nothing is then said about
    // their assets.
    const accounts = await resolveAccounts(deps.store, actor, input);
    if ('code' in accounts) return { ok: false, error: accounts.message, details: [] };
    const assets = await resolveAssets(deps.store, actor, accounts, selection.refs);
    if ('code' in assets) return { ok: false, error: assets.message, details: assets.details ?? [] };
    const vas = await deps.store.accounts.virtualAccountsByIds([
      ...assets.licenses.map((l) => l.virtualAccountId),
      ...assets.devices.map((d) => d.virtualAccountId),
    ]);
    const vaName = (id: number) => vas.get(id)?.name ?? '';
    for (const l of assets.licenses)
      counted.set(licenseRef(l), { kind: 'license', virtualAccount: vaName(l.virtualAccountId) });
    for (const d of assets.devices)
      counted.set(deviceRef(d), { kind: 'device', virtualAccount: vaName(d.virtualAccountId) });
  }

  const named = counted.size;
  for (const whole of selection.whole) {
    const account: AccountRef = whole.virtualAccount
      ? { smartAccount: source.smartAccount, virtualAccount: whole.virtualAccount }
      : source;
    const tabs: AssetTab[] = whole.kind ? [whole.kind] : ['licenses', 'devices'];
    for (const tab of tabs) {
      const list = await listAssets(deps, actor, account, tab, whole.query, MAX_SELECTED);
      if (!list.ok) return { ok: false, error: list.refusal.message, details: [] };
      for (const row of list.value.rows) {
        if (row.eligibility.eligible) {
          counted.set(row.ref, { kind: row.kind, virtualAccount: row.virtualAccount });
          leftOut.delete(row.ref);
        } else if (!counted.has(row.ref)) {
          leftOut.set(row.ref, row.eligibility.reason);
        }
      }
    }
  }

  const left = inNaturalOrder(leftOut, 0);
  // Nothing is created, and the reply names what was left out and why, as the review would.
  if (counted.size === 0)
    return { ok: false, error: msg('core:journey.error.nothingEligible'), details: leftOutProblems(left) };
  return { ok: true, expanded: summarize(inNaturalOrder(counted, named), left) };
}

/** An asset that cannot move, named with its reason: a line of a refusal's details. */
export function ineligibleProblem(ref: string, reason: Msg): Msg {
  return msg('core:problem.ineligible', { ref, reasonKey: keyParam(reason.key), ...reason.params });
}

/** The first LEFT_OUT_SHOWN assets left out, each with its reason, then how many more (as every refusal counts them). */
function leftOutProblems(leftOut: ReadonlyMap<string, Msg>): Msg[] {
  return firstProblems(
    [...leftOut].map(([ref, reason]) => ineligibleProblem(ref, reason)),
    LEFT_OUT_SHOWN,
  );
}

// Numbers inside references compared as numbers: line 2 before line 10, SN:FOC9 before SN:FOC10.
const NATURAL = new Intl.Collator('en', { numeric: true });

/**
 * The selection with what whole selections took in (after the first `named`, kept in the order given) in
 * natural order: their items are added, and then shown, as `SO:100-1, SO:100-2 … SO:100-10`, not in the
 * inventory's text order of lines (`-1, -10, -100, -2`). What they left out is shown in that order too.
 */
function inNaturalOrder<V>(counted: ReadonlyMap<string, V>, named: number): Map<string, V> {
  const entries = [...counted];
  const taken = entries.slice(named).sort(([a], [b]) => NATURAL.compare(a, b));
  return new Map([...entries.slice(0, named), ...taken]);
}

/** Where each selected asset sits, by its canonical reference. */
export type Counted = ReadonlyMap<string, { kind: 'license' | 'device'; virtualAccount: string }>;

/** The selected references with what the review shows of them: counts per kind and Virtual Account, and what was left out. */
export function summarize(counted: Counted, leftOut: ReadonlyMap<string, Msg>): Expanded {
  const perVa = new Map<string, { name: string; licenses: number; devices: number }>();
  let licenses = 0;
  let devices = 0;
  for (const { kind, virtualAccount } of counted.values()) {
    const va = perVa.get(virtualAccount) ?? { name: virtualAccount, licenses: 0, devices: 0 };
    if (kind === 'license') {
      licenses++;
      va.licenses++;
    } else {
      devices++;
      va.devices++;
    }
    perVa.set(virtualAccount, va);
  }
  return {
    refs: [...counted.keys()].map((text) => parseAssetRef(text)!),
    review: {
      licenses,
      devices,
      perVirtualAccount: [...perVa.values()].sort((a, b) => a.name.localeCompare(b.name)),
      leftOut: [...leftOut].slice(0, LEFT_OUT_SHOWN).map(([ref, reason]) => ({ ref, reason })),
      leftOutTotal: leftOut.size,
    },
  };
}
