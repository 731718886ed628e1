import type { Escalated } from '../src/app/ports/transfers.js';

/**
 * Whom one `reminder.escalation` history row told, as `escalatedTo` gives it: every such row has kept them by
 * id (`to`), beside their names (`toNames`) since those were added, and when the escalation reaches those it
 * was held for (`heldUntil`, by id) since escalations wait for each admin's reminder window. A row that does
 * not say whom it told is left out.
 */
export function escalationOf(details: Record<string, unknown> | null | undefined): Escalated[] {
  const role = details?.['role'];
  const to = details?.['to'];
  if ((role !== 'transferee' && role !== 'transferor') || !Array.isArray(to)) return [];
  const held = details?.['heldUntil'];
  const heldUntil = new Map<number, Date>();
  if (held && typeof held === 'object' && !Array.isArray(held))
    for (const [id, at] of Object.entries(held))
      if (typeof at === 'string') heldUntil.set(Number(id), new Date(at));
  return [{ role, userIds: to.filter((id): id is number => typeof id === 'number'), heldUntil }];
}
