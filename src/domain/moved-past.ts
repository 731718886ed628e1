import { keyParam, msg } from './msg.js';
import type { Status } from './status.js';
import type { Refusal, TransferState } from './types.js';

/** The status each decision is taken in (a cancel: the last it may be taken in). */
const TAKEN_IN: Partial<Record<string, Status>> = {
  validate: 'validation_initiated',
  submit: 'pending_submission',
  cancel: 'pending_submission',
  consent: 'awaiting_consent',
  'consent.lost': 'awaiting_consent',
  expire: 'awaiting_consent',
  screen: 'compliance_screening',
  execute: 'transfer_initiated',
  retry: 'transfer_completed_with_failure',
};

/**
 * A decision refused as the transfer has moved past the status it is taken in (a button clicked on a card
 * drawn before), with who moved it on from that status and when, as "already decided by … on …" says for
 * a consent: read from the record the state carries. Unchanged when the record does not say (the state
 * was read without it, or the transfer never reached that status).
 */
export function movedPast(refusal: Refusal, transfer: TransferState, action: string): Refusal {
  const takenIn = TAKEN_IN[action];
  const left = takenIn && transfer.statusesLeft?.find((step) => step.from === takenIn);
  if (!left) return refusal;
  const { key, params } = refusal.message;
  return {
    ...refusal,
    message: msg(left.byName ? 'core:refusal.movedOnBy' : 'core:refusal.movedOn', {
      ...params,
      reasonKey: keyParam(key),
      from: left.from,
      at: left.at.toISOString(),
      ...(left.byName ? { by: left.byName } : {}),
    }),
  };
}
