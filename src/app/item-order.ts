import { msg, type Msg } from '../domain/msg.js';
import type { ItemView } from './views.js';

type Ordered = Pick<ItemView, 'result' | 'warnings'>;

/** What a view leaves out when it shows only the first items in showing order. */
export interface ItemsLeftOut {
  count: number;
  /** Of those left out, how many failed. */
  failed: number;
  /** Of those left out, how many did not fail but carry warnings. */
  warned: number;
}

const rank = (item: Ordered): number => (item.result === 'failed' ? 0 : item.warnings.length > 0 ? 1 : 2);

/**
 * The order items are shown in wherever a view shows only some of thousands: the failed first, then those
 * carrying warnings, then the rest, each in the order they were added, so what needs the reader's
 * attention is never among the items a view leaves out while others are shown. The database describes
 * a chat view's first items (their asset's facts) in this same order.
 */
export function inShowingOrder<T extends Ordered>(items: readonly T[]): T[] {
  return items
    .map((item, at) => ({ item, at, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
    .map(({ item }) => item);
}

/** How many of `ordered` (in showing order) a view leaves out when it shows the first `shown`, and of what kind. */
export function itemsLeftOut(ordered: readonly Ordered[], shown: number): ItemsLeftOut {
  const rest = ordered.slice(shown);
  const failed = rest.filter((item) => item.result === 'failed').length;
  const warned = rest.filter((item) => item.result !== 'failed' && item.warnings.length > 0).length;
  return { count: rest.length, failed, warned };
}

/** What a surface says, under "and N more", of the failed items and those with warnings it left out. */
export function leftOutNotes(left: ItemsLeftOut): Msg[] {
  const notes: Msg[] = [];
  if (left.failed > 0) notes.push(msg('common:items.leftOutFailed', { count: left.failed }));
  if (left.warned > 0) notes.push(msg('common:items.leftOutWarned', { count: left.warned }));
  return notes;
}
