import type { DeliveredTo, Landing, OutboxRow } from '../app/ports/outbox.js';

/** The landings recorded on a row by an earlier, interrupted attempt. */
export function landingsOf(row: OutboxRow): Landing[] {
  const raw = (row.deliveredTo as Partial<DeliveredTo> | null)?.deliveries;
  return Array.isArray(raw)
    ? raw.filter((l): l is Landing => typeof l?.platform === 'string' && typeof l.id === 'string')
    : [];
}
