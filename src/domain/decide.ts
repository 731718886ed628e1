import type { MessageKey, Msg } from './msg.js';
import { keyParam, msg } from './msg.js';
import type { Eligibility } from './eligibility.js';
import { executionNote, moveOrFail, type ItemCheck, type ItemOutcome } from './item-outcomes.js';
import {
  alreadyDecided,
  checkConsent,
  checkRetry,
  checkScreen,
  checkSubmitOrCancel,
  type ScreeningCardSeen,
} from './permissions.js';
import { movedPast } from './moved-past.js';
import { CANCELLABLE, canMove, type Status } from './status.js';
import type { Actor, ConsentRole, Refusal, TransferState } from './types.js';
import { refuse } from './types.js';

/**
 * Pure decisions: the state, the actor and what the inventory says now go in; what must change comes out.
 * The caller persists it (compare-and-set on status and version), appends the history and the outbox.
 */

export interface Step {
  from: Status;
  to: Status;
  reason?: Msg;
}

export type { ItemCheck, ItemOutcome } from './item-outcomes.js';

export interface Decision {
  /** The history action (`validate`, `submit`, `consent.approve`, …). */
  action: string;
  steps: Step[];
  reason?: string;
  items?: ItemOutcome[];
  consent?: { role: ConsentRole; decision: 'approved' | 'rejected'; reason: string | null };
  /** Consents to ask for, on entering `awaiting_consent`. */
  requestConsents?: ConsentRole[];
  screening?: { decision: 'approved' | 'rejected'; reason: string | null };
  cancelReason?: Msg;
  /** A consent lost (or given back) as a bot admin changed a role, not as the inventory did: on record as theirs. */
  byRoleChange?: boolean;
  /**
   * People asked to consent who can no longer answer (`canAnswer` false: the role it needs was taken away
   * while others asked still can), or can again: recorded on their consents, their cards redrawn, the
   * requester told. `names`: theirs, as a list parameter; `awaited`: who may still answer, a line a role
   * (none when they can again).
   */
  answerers?: { userIds: number[]; canAnswer: boolean; names: string; awaited: Msg[] };
  /** Entering `transfer_initiated`: the caller runs the transfer now, in the same database transaction. */
  execute?: boolean;
  /** What the step came to, for its history row where no step reason says it (how many moved). */
  note?: Msg;
}

export type Outcome = { ok: true; decision: Decision } | { ok: false; refusal: Refusal };

/** The longest business justification or reason a person may write (in characters, as they count them). */
export const MAX_TEXT_LENGTH = 2000;

/**
 * A justification or a reason over the limit, refused with its length and the limit. `fieldKey` names
 * the field as the form labels it (`common:field.reason`, `common:field.businessJustification`).
 */
export function checkTextLength(fieldKey: MessageKey, text: string | null | undefined): Refusal | null {
  const length = text ? [...text].length : 0;
  if (length <= MAX_TEXT_LENGTH) return null;
  return refuse('invalid', 'core:refusal.tooLong', {
    fieldKey: keyParam(fieldKey),
    length,
    max: MAX_TEXT_LENGTH,
  });
}

const REASON_FIELD = 'common:field.reason';

// The outcome of a decision, and the chain of steps it takes: shared by the decisions of this folder.
export const ok = (decision: Decision): Outcome => ({ ok: true, decision });
export const no = (refusal: Refusal): Outcome => ({ ok: false, refusal });

export function wrongStatus(transfer: TransferState, action: string): Outcome {
  const refusal = refuse('wrong_status', 'core:refusal.wrongStatus', {
    id: transfer.id,
    status: transfer.status,
    action,
  });
  return no(movedPast(refusal, transfer, action));
}

/** Builds a chain of steps from the current status, checking each against the transition table. */
export function chain(from: Status, ...to: [Status, Msg?][]): Step[] {
  const steps: Step[] = [];
  let current = from;
  for (const [next, reason] of to) {
    if (!canMove(current, next)) throw new Error(`illegal status change ${current} -> ${next}`);
    steps.push(reason ? { from: current, to: next, reason } : { from: current, to: next });
    current = next;
  }
  return steps;
}

export function decideValidation(
  transfer: TransferState,
  checks: { itemId: number; eligibility: Eligibility }[],
): Outcome {
  if (transfer.status !== 'validation_initiated') return wrongStatus(transfer, 'validate');
  // Eligible items stay `pending` with their warnings on the record; ineligible ones are dropped with the reason.
  const items: ItemOutcome[] = checks.map(({ itemId, eligibility }) =>
    eligibility.eligible
      ? { itemId, result: 'pending', warnings: eligibility.warnings }
      : { itemId, result: 'excluded', reason: eligibility.reason },
  );
  if (items.every((i) => i.result === 'excluded')) {
    const reason = msg('core:cancel.nothingEligible');
    return ok({
      action: 'validate',
      steps: chain(transfer.status, ['cancelled', reason]),
      items,
      cancelReason: reason,
    });
  }
  return ok({
    action: 'validate',
    steps: chain(transfer.status, ['validation_completed'], ['pending_submission']),
    items,
  });
}

export function decideSubmit(actor: Actor, transfer: TransferState): Outcome {
  const refusal = checkSubmitOrCancel(actor, transfer, 'submit');
  if (refusal) return no(refusal);
  if (transfer.status !== 'pending_submission') return wrongStatus(transfer, 'submit');
  if (transfer.sameLegalEntity) {
    return ok({
      action: 'submit',
      steps: chain(transfer.status, ['submitted'], ['transfer_initiated']),
      execute: true,
    });
  }
  const requestConsents: ConsentRole[] = transfer.requestedByPartner
    ? ['transferee', 'transferor']
    : ['transferee'];
  return ok({
    action: 'submit',
    steps: chain(transfer.status, ['submitted'], ['awaiting_consent']),
    requestConsents,
  });
}

export function decideCancel(actor: Actor, transfer: TransferState, reason: string | null): Outcome {
  const refusal = checkSubmitOrCancel(actor, transfer, 'cancel') ?? checkTextLength(REASON_FIELD, reason);
  if (refusal) return no(refusal);
  if (!CANCELLABLE.includes(transfer.status)) {
    const refusal = refuse('wrong_status', 'core:refusal.cancelTooLate', {
      id: transfer.id,
      status: transfer.status,
    });
    return no(movedPast(refusal, transfer, 'cancel'));
  }
  const cancelReason = msg('core:cancel.byRequester', { name: actor.name });
  return ok({
    action: 'cancel',
    steps: chain(transfer.status, ['cancelled', cancelReason]),
    reason: reason ?? undefined,
    cancelReason,
  });
}

export function decideConsent(
  actor: Actor,
  transfer: TransferState,
  decision: 'approve' | 'reject',
  reason: string | null,
): Outcome {
  const check = checkConsent(actor, transfer);
  if ('refusal' in check) {
    // The named transferee before consent is asked (or after a cancellation that never asked) is not
    // "someone else's consent": the status is why they cannot answer.
    const namedTransferee =
      actor.userId === transfer.transfereeId && check.refusal.message.key === 'core:refusal.notConsenter';
    if (namedTransferee && transfer.status !== 'awaiting_consent') return wrongStatus(transfer, 'consent');
    return no(check.refusal);
  }
  if (transfer.status !== 'awaiting_consent') return wrongStatus(transfer, 'consent');
  const tooLong = checkTextLength(REASON_FIELD, reason);
  if (tooLong) return no(tooLong);
  const { role } = check.consent;
  if (decision === 'reject') {
    const cancelReason = reason
      ? msg('core:cancel.consentRejected', { name: actor.name, role, reason })
      : msg('core:cancel.consentRejectedNoReason', { name: actor.name, role });
    return ok({
      action: 'consent.reject',
      steps: chain(transfer.status, ['cancelled', cancelReason]),
      reason: reason ?? undefined,
      consent: { role, decision: 'rejected', reason },
      cancelReason,
    });
  }
  const othersApproved = transfer.consents
    .filter((c) => c.role !== role)
    .every((c) => c.decision === 'approved');
  return ok({
    action: 'consent.approve',
    steps: othersApproved ? chain(transfer.status, ['compliance_screening']) : [],
    consent: { role, decision: 'approved', reason },
  });
}

/** `seen`: how the transfer's compliance card reached one who is no compliance officer (see checkScreen). */
export function decideScreen(
  actor: Actor,
  transfer: TransferState,
  decision: 'approve' | 'reject',
  reason: string | null,
  seen: ScreeningCardSeen | null = null,
): Outcome {
  const refusal = checkScreen(actor, transfer, seen) ?? checkTextLength(REASON_FIELD, reason);
  if (refusal) return no(refusal);
  if (transfer.status !== 'compliance_screening') {
    if (transfer.screenedAt) {
      const decided = transfer.status === 'compliance_rejected' ? 'rejected' : 'approved';
      return no(alreadyDecided(transfer.id, decided, transfer.screenedByName, transfer.screenedAt));
    }
    return wrongStatus(transfer, 'screen');
  }
  if (decision === 'reject') {
    if (!reason?.trim()) return no(refuse('invalid', 'core:refusal.reasonRequired', { id: transfer.id }));
    return ok({
      action: 'screen.reject',
      steps: chain(transfer.status, ['compliance_rejected', msg('core:screening.rejected', { reason })]),
      reason,
      screening: { decision: 'rejected', reason },
    });
  }
  return ok({
    action: 'screen.approve',
    steps: chain(transfer.status, ['transfer_initiated']),
    screening: { decision: 'approved', reason },
    execute: true,
  });
}

/** The transfer itself: each pending item was checked again by the caller; eligible ones move. */
export function decideExecution(transfer: TransferState, checks: readonly ItemCheck[]): Outcome {
  if (transfer.status !== 'transfer_initiated') return wrongStatus(transfer, 'execute');
  const items = moveOrFail(checks);
  const failed = items.some((i) => i.result === 'failed');
  const note = executionNote(items);
  return ok({
    action: 'execute',
    steps: chain(transfer.status, [failed ? 'transfer_completed_with_failure' : 'transfer_completed']),
    items,
    ...(note ? { note } : {}),
  });
}

export function decideRetry(actor: Actor, transfer: TransferState, checks: readonly ItemCheck[]): Outcome {
  const refusal = checkRetry(actor, transfer);
  if (refusal) return no(refusal);
  if (transfer.status !== 'transfer_completed_with_failure') return wrongStatus(transfer, 'retry');
  if (checks.length === 0) return no(refuse('invalid', 'core:refusal.nothingToRetry', { id: transfer.id }));
  const items = moveOrFail(checks);
  const failed = items.filter((i) => i.result === 'failed').length;
  return ok({
    action: 'retry',
    steps: failed === 0 ? chain(transfer.status, ['transfer_completed']) : [],
    items,
    note: msg('core:retry.outcome', { count: items.length, moved: items.length - failed, failed }),
  });
}

/** Consent not given in time. `expireAfterMs` 0 means never. */
export function decideExpiry(
  transfer: TransferState,
  now: Date,
  consentRequestedAt: Date,
  expireAfterMs: number,
): Outcome {
  if (transfer.status !== 'awaiting_consent') return wrongStatus(transfer, 'expire');
  if (expireAfterMs <= 0 || now.getTime() - consentRequestedAt.getTime() < expireAfterMs) {
    return no(refuse('invalid', 'core:refusal.notDue', { id: transfer.id }));
  }
  const cancelReason = msg('core:cancel.consentExpired');
  return ok({ action: 'expire', steps: chain(transfer.status, ['cancelled', cancelReason]), cancelReason });
}

/** A legal entity as the inventory records it, to weigh the requester's "same company?" answer. */
export interface LegalEntityRef {
  id: string;
  name: string;
}

/**
 * The requester's answer to "same company?" checked against the inventory (SPEC §4.1): where it records
 * both legal entities and they contradict the answer, the requester is told so and the transfer goes on
 * as **No** — to another legal entity, with consent and compliance screening. A "yes" for two legal
 * entities becomes a "no"; a "no" for one legal entity stays a "no".
 */
export function decideSameCompany(
  answer: boolean,
  source: LegalEntityRef | undefined,
  destination: LegalEntityRef | undefined,
): { sameLegalEntity: boolean; note?: Msg } {
  if (!source || !destination) return { sameLegalEntity: answer };
  const same = source.id === destination.id;
  if (same === answer) return { sameLegalEntity: same };
  const note = same
    ? msg('core:warning.oneLegalEntity', { name: source.name })
    : msg('core:warning.twoLegalEntities', { source: source.name, destination: destination.name });
  return { sameLegalEntity: false, note };
}
