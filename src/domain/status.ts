/** The eleven statuses of a transfer. Keys are stable: the database enum is built from this list. */
export const STATUSES = [
  'validation_initiated',
  'validation_completed',
  'pending_submission',
  'submitted',
  'awaiting_consent',
  'compliance_screening',
  'compliance_rejected',
  'transfer_initiated',
  'transfer_completed',
  'transfer_completed_with_failure',
  'cancelled',
] as const;

export type Status = (typeof STATUSES)[number];

export const TERMINAL_STATUSES: readonly Status[] = [
  'compliance_rejected',
  'transfer_completed',
  'transfer_completed_with_failure',
  'cancelled',
];

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export function isTerminal(status: Status): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * Every legal status change. A completed transfer is never reopened. The one move out of a terminal
 * status is licensing operations' retry: when every failed item of a
 * `transfer_completed_with_failure` finally moves, the transfer becomes `transfer_completed`; nothing
 * already moved is ever moved back.
 * The database enforces the same table through a trigger (see db/migrations), so the two cannot drift:
 * test/db/guards.test.ts compares them.
 */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  validation_initiated: ['validation_completed', 'cancelled'],
  validation_completed: ['pending_submission', 'cancelled'],
  pending_submission: ['submitted', 'cancelled'],
  submitted: ['awaiting_consent', 'transfer_initiated'],
  awaiting_consent: ['compliance_screening', 'cancelled'],
  compliance_screening: ['transfer_initiated', 'compliance_rejected'],
  compliance_rejected: [],
  transfer_initiated: ['transfer_completed', 'transfer_completed_with_failure'],
  transfer_completed: [],
  transfer_completed_with_failure: ['transfer_completed'],
  cancelled: [],
};

/** Whether a transfer in `from` can still come to `to`, by any number of steps (or is in it). */
export function canStillReach(from: Status, to: Status): boolean {
  const reached = new Set<Status>([from]);
  for (const status of reached) for (const next of TRANSITIONS[status]) reached.add(next);
  return reached.has(to);
}

export function canMove(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses in which the requester may still cancel: only before submission. */
export const CANCELLABLE: readonly Status[] = [
  'validation_initiated',
  'validation_completed',
  'pending_submission',
];
