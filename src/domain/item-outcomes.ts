import type { Eligibility } from './eligibility.js';
import { msg, type Msg } from './msg.js';

/** One item checked against the inventory as it is now: its reference, when the caller read it, names it. */
export interface ItemCheck {
  itemId: number;
  ref?: string | undefined;
  eligibility: Eligibility;
}

export interface ItemOutcome {
  itemId: number;
  /** The item's reference, for the history row that names what failed and what moved. */
  ref?: string | undefined;
  result: 'pending' | 'excluded' | 'transferred' | 'failed' | 'not_transferred';
  reason?: Msg;
  warnings?: Msg[];
  /** Counted as moved without moving: the asset was already in the destination (see `Eligibility`). */
  arrived?: true;
}

/** The transfer itself, or a retry: each eligible item moves, each arrived one counts as moved, the rest fail. */
export function moveOrFail(checks: readonly ItemCheck[]): ItemOutcome[] {
  return checks.map(({ itemId, ref, eligibility }): ItemOutcome => {
    const named = ref === undefined ? { itemId } : { itemId, ref };
    if (eligibility.eligible) return { ...named, result: 'transferred' };
    if (eligibility.arrived)
      return { ...named, result: 'transferred', reason: eligibility.reason, arrived: true };
    return { ...named, result: 'failed', reason: eligibility.reason };
  });
}

/** What the transfer itself came to, for its history row, when items failed: how many of how many moved. */
export function executionNote(items: readonly ItemOutcome[]): Msg | undefined {
  const failed = items.filter((i) => i.result === 'failed').length;
  if (failed === 0) return undefined;
  return msg('core:execute.outcome', { count: items.length, moved: items.length - failed, failed });
}
