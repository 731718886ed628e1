// The cards offered to one person as they became reachable, or a compliance officer (see offerWhatWaited).
import type { CardDecision } from '../app/cards.js';
import type { RouteContext, RouteResult, Unreachable } from './route.js';

/**
 * A screening offered to a new compliance officer no platform reaches yet is not lost, as a screening's
 * copy to each officer is not (see officerTargets): the offer is given back, to be made again once a
 * platform can reach them (see offerWhatWaited), and nobody is told. Anything else is unreachable.
 */
export async function offerUnreachable(
  ctx: RouteContext,
  decision: CardDecision,
  who: Unreachable,
): Promise<RouteResult> {
  const { firstCopy, offerKey } = ctx.payload;
  if (!firstCopy || !offerKey || decision !== 'compliance') return { kind: 'unreachable', who };
  await ctx.deps.store.reminders.release(offerKey);
  return { kind: 'delivered', deliveredTo: { deliveries: [] } };
}
