import type { Status } from './status.js';

/**
 * Where a consent nobody has answered stands, for every surface that tells it:
 * - `awaited`: the transfer waits for it, and the person asked may answer;
 * - `cannotAnswer`: the transfer still waits, but the person asked lost the role the consent takes;
 * - `notAnswered`: the transfer moved on without their answer (consent not given in time, another's
 *   rejection, cancelled): no answer is awaited any more, from anyone.
 * A consent is awaited only while the transfer is awaiting consent.
 */
export type UnansweredConsent = 'awaited' | 'cannotAnswer' | 'notAnswered';

/** How an unanswered consent reads on a transfer in `status`; null once it is answered. */
export function unansweredConsent(
  status: Status,
  consent: { decision: 'approved' | 'rejected' | null; mayAnswer: boolean },
): UnansweredConsent | null {
  if (consent.decision !== null) return null;
  if (status !== 'awaiting_consent') return 'notAnswered';
  return consent.mayAnswer ? 'awaited' : 'cannotAnswer';
}

/** Whether the person asked may still answer: only while the transfer awaits it and they hold the role. */
export function mayStillAnswer(
  status: Status,
  consent: { decision: 'approved' | 'rejected' | null; mayAnswer: boolean },
): boolean {
  return unansweredConsent(status, consent) === 'awaited';
}
