import type { Msg } from '../domain/msg.js';
import type { ItemView } from './views.js';

/** A result and its reason that several items share: a rejection, an expiry, a cancellation ends them all alike. */
export interface SharedReason {
  result: ItemView['result'];
  reason: Msg;
  count: number;
}

const groupOf = (item: ItemView, reason: Msg) =>
  JSON.stringify([item.result, reason.key, reason.params ?? {}]);

/**
 * The reasons two items or more share, for a surface to state once rather than on each item (a reason
 * can be 2,000 characters, and a card or a message has a size it may not pass); `isShared` tells an item
 * whose reason is among them, to draw without it.
 */
export function sharedReasons(items: readonly ItemView[]): {
  shared: SharedReason[];
  isShared: (item: ItemView) => boolean;
} {
  const groups = new Map<string, SharedReason>();
  for (const item of items) {
    if (!item.reason) continue;
    const key = groupOf(item, item.reason);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { result: item.result, reason: item.reason, count: 1 });
  }
  for (const [key, group] of groups) if (group.count < 2) groups.delete(key);
  return {
    shared: [...groups.values()],
    isShared: (item) => item.reason !== null && groups.has(groupOf(item, item.reason)),
  };
}
