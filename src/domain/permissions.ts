import type { Actor, ConsentRole, ConsentState, Refusal, SmartAccountRef, TransferState } from './types.js';
import { refuse } from './types.js';
import { CANCELLABLE } from './status.js';
import { listParam, type MessageKey } from './msg.js';

/**
 * Who may do what. Every check takes the actor as the database knows them now: a button payload is never
 * trusted because the bot sent it earlier.
 */

export function isAdminOf(actor: Actor, smartAccountId: number): boolean {
  return actor.adminOf.has(smartAccountId);
}

/** The Smart Accounts the actor administers (requests, `use`, the request form). */
export function administeredAccounts(actor: Actor): number[] {
  return [...actor.adminOf];
}

/** Whether the actor may start a request at all: a requester administers the Smart Accounts it names. */
export function mayRequestTransfers(actor: Actor): boolean {
  return actor.adminOf.size > 0;
}

export function isComplianceOfficer(actor: Actor): boolean {
  return actor.globalRoles.has('compliance');
}

/**
 * Compliance officers and licensing operations see every transfer, and the assets of every account.
 * A bot admin imports the inventory and grants roles: that shows them no account's assets and no more
 * in their lists, but every transaction, read-only (see `readsEveryTransaction`).
 */
export function seesEveryAccount(actor: Actor): boolean {
  return isComplianceOfficer(actor) || actor.globalRoles.has('licensing_ops');
}

/** Whose assets and counts the actor may see: an account they administer, or any when they see all. */
export function maySeeAssetsOf(actor: Actor, smartAccountId: number): boolean {
  return seesEveryAccount(actor) || isAdminOf(actor, smartAccountId);
}

/**
 * The Smart Accounts whose transfers a list shows the actor: every one, or those they administer
 * (beside which a list without a chosen account shows the transfers they are part of).
 */
export function listScope(actor: Actor): 'all' | number[] {
  return seesEveryAccount(actor) ? 'all' : administeredAccounts(actor);
}

/**
 * A partner belongs to neither side's legal entity (and all three are known): with one unknown there is
 * no transferor "from the source's own legal entity" to ask, so the request could never be submitted.
 */
export function isPartnerFor(actor: Actor, source: SmartAccountRef, destination: SmartAccountRef): boolean {
  if (!actor.legalEntityId || !source.legalEntityId || !destination.legalEntityId) return false;
  return actor.legalEntityId !== source.legalEntityId && actor.legalEntityId !== destination.legalEntityId;
}

/**
 * A Smart Account as the actor named it: its row, or the domain they typed when it matches none. Someone
 * who may not see an account gets the same answer whether or not it exists, so nobody learns which do.
 */
export type NamedAccount = SmartAccountRef | string;

const namedDomain = (account: NamedAccount) =>
  typeof account === 'string' ? account.trim().toLowerCase() : account.domain;

export function checkRequest(actor: Actor, source: NamedAccount, destination: NamedAccount): Refusal | null {
  return checkRequestAccounts(actor, [source, destination]);
}

/**
 * The Smart Accounts of a request as far as they are named: the two of a whole request, or those a
 * `new …` line that opens the wizard names. The requester must be an admin of each.
 */
export function checkRequestAccounts(actor: Actor, named: readonly NamedAccount[]): Refusal | null {
  const missing = named.filter((sa) => typeof sa === 'string' || !isAdminOf(actor, sa.id)).map(namedDomain);
  if (missing.length > 0)
    return refuse('forbidden', 'core:refusal.notAdminOfBoth', { accounts: listParam([...new Set(missing)]) });
  return null;
}

/**
 * Whether the actor may use the account they named for what `permitted` says. One who sees every account
 * is told a domain matches nothing; anyone else hears "you are not an admin of …" for an account that does
 * not exist as for one that belongs to others.
 */
export function checkNamedAccount(
  actor: Actor,
  account: NamedAccount,
  permitted: (smartAccountId: number) => boolean,
): Refusal | null {
  if (typeof account !== 'string') {
    return permitted(account.id)
      ? null
      : refuse('forbidden', 'core:refusal.notAdminOf', { domain: account.domain });
  }
  if (seesEveryAccount(actor)) return refuse('invalid', 'core:refusal.unknownAccount', { domain: account });
  return refuse('forbidden', 'core:refusal.notAdminOf', { domain: namedDomain(account) });
}

/**
 * Whether the actor may open any transaction (`show`, `export ID`), without acting on it. A bot admin may:
 * their grants, revocations and imports decide who may consent, so they end transfers (whose history then
 * names them) and leave others waiting; they read what that did, and the refused attempts in it. Their
 * landing page and their accounts stay those of their own roles (`listScope`, `maySeeAssetsOf`).
 */
export function readsEveryTransaction(actor: Actor): boolean {
  return seesEveryAccount(actor) || actor.globalRoles.has('bot_admin');
}

export function canView(actor: Actor, transfer: TransferState): boolean {
  return (
    readsEveryTransaction(actor) ||
    actor.userId === transfer.requesterId ||
    actor.userId === transfer.transfereeId ||
    transfer.consents.some((c) => c.userId === actor.userId) ||
    isAdminOf(actor, transfer.sourceSmartAccountId) ||
    isAdminOf(actor, transfer.destinationSmartAccountId)
  );
}

/**
 * Whether a viewer reads other people's refused attempts in a transfer's history: the requester, compliance,
 * licensing operations and bot admins do; consenters and other admins see only their own.
 */
export function seesRefusedAttemptsOf(
  actor: Actor,
  transfer: TransferState,
  attemptBy: number | null,
): boolean {
  return (
    attemptBy === actor.userId ||
    actor.userId === transfer.requesterId ||
    isComplianceOfficer(actor) ||
    actor.globalRoles.has('licensing_ops') ||
    actor.globalRoles.has('bot_admin')
  );
}

function requireView(actor: Actor, transfer: TransferState): Refusal | null {
  return canView(actor, transfer) ? null : refuse('not_found', 'core:refusal.notFound', { id: transfer.id });
}

export function checkSubmitOrCancel(
  actor: Actor,
  transfer: TransferState,
  action: 'submit' | 'cancel',
): Refusal | null {
  const hidden = requireView(actor, transfer);
  if (hidden) return hidden;
  if (actor.userId !== transfer.requesterId)
    return refuse('forbidden', `core:refusal.onlyRequester.${action}`, { id: transfer.id });
  // Roles change after a request: submitting moves the assets, so its requester must still be an admin of
  // both accounts, as a request needs. Cancelling moves nothing and stays theirs.
  if (
    action === 'submit' &&
    !(isAdminOf(actor, transfer.sourceSmartAccountId) && isAdminOf(actor, transfer.destinationSmartAccountId))
  )
    return refuse('forbidden', 'core:refusal.noLongerAdminToSubmit', { id: transfer.id });
  return null;
}

/** The pending consent this actor may give, or why not. */
export function checkConsent(
  actor: Actor,
  transfer: TransferState,
): { consent: ConsentState } | { refusal: Refusal } {
  const hidden = requireView(actor, transfer);
  if (hidden) return { refusal: hidden };
  if (actor.userId === transfer.requesterId)
    return { refusal: refuse('forbidden', 'core:refusal.ownRequest', { id: transfer.id }) };
  const mine = transfer.consents.filter((c) => c.userId === actor.userId);
  const pending = mine.find((c) => c.decision === null);
  if (pending) {
    // Named at submission, but roles change: a consenter who no longer administers their side (for a
    // transferor, for the source's own legal entity) may not answer.
    const side =
      pending.role === 'transferee' ? transfer.destinationSmartAccountId : transfer.sourceSmartAccountId;
    if (!isAdminOf(actor, side) || !pending.mayAnswer)
      return { refusal: refuse('forbidden', 'core:refusal.noLongerAdmin', { id: transfer.id }) };
    return { consent: pending };
  }
  const decided = mine[0];
  if (decided)
    return {
      refusal: alreadyDecided(transfer.id, decided.decision, decided.decidedByName, decided.decidedAt),
    };
  return { refusal: refuse('forbidden', 'core:refusal.notConsenter', { id: transfer.id }) };
}

/**
 * How a transfer's compliance card reached someone who may no longer see the transfer: posted to them
 * (`theirs`: they were a compliance officer then), or the compliance channel's copy they clicked.
 */
export type ScreeningCardSeen = 'theirs' | 'channel';

/**
 * Whether the actor may screen the transfer. Who is no compliance officer learns of the transfer only what
 * its card showed them (`seen`): one whose own copy it was is told they are no longer an officer; one who
 * clicked the channel's copy, that only an officer screens it; anyone else who may not see the transfer,
 * that it is not found, as for any transfer they may not see.
 */
export function checkScreen(
  actor: Actor,
  transfer: TransferState,
  seen: ScreeningCardSeen | null = null,
): Refusal | null {
  if (!isComplianceOfficer(actor)) {
    const id = transfer.id;
    if (seen === 'theirs') return refuse('forbidden', 'core:refusal.noLongerCompliance', { id });
    const hidden = seen === 'channel' ? null : requireView(actor, transfer);
    return hidden ?? refuse('forbidden', 'core:refusal.notCompliance', { id });
  }
  if (actor.userId === transfer.requesterId)
    return refuse('forbidden', 'core:refusal.ownRequest', { id: transfer.id });
  return null;
}

export function checkRetry(actor: Actor, transfer: TransferState): Refusal | null {
  if (!actor.globalRoles.has('licensing_ops'))
    return refuse('forbidden', 'core:refusal.notLicensingOps', { id: transfer.id });
  return null;
}

/**
 * Whether the decision asked is the actor's own, already recorded — a double click, or a click taken up
 * again after a restart — rather than another's: it is answered as the first one was, and nothing is
 * recorded again (no refused attempt in the history the requester reads).
 */
export function repeatsOwnDecision(
  actor: Actor,
  transfer: TransferState,
  kind: 'consent' | 'screen',
  decision: 'approve' | 'reject',
): boolean {
  const recorded = decision === 'approve' ? 'approved' : 'rejected';
  if (kind === 'consent')
    return transfer.consents.some(
      (c) => c.userId === actor.userId && c.decision === recorded && c.decidedById === actor.userId,
    );
  if (transfer.screenedById !== actor.userId) return false;
  return recorded === (transfer.status === 'compliance_rejected' ? 'rejected' : 'approved');
}

/**
 * How long after a person's own retry the same retry is taken for the same click: a double click, Slack or
 * Teams sending it again, or a click taken up again after a restart (a lease of 30 s, then the work).
 */
export const RETRY_REPEAT_MS = 60_000;

/**
 * Whether a retry asked is the actor's own, just recorded, clicked again rather than asked anew: their
 * retry is the transfer's last change (`ownLast`, the time of their latest retry, is when the transfer was
 * last updated), moments ago, and this one would move nothing more (the transfer is complete, or no failed
 * item can move now). It is answered as the first was: no second pass, and no refused attempt written.
 * A retry that would move something (the inventory was fixed since) is a new one, however soon.
 */
export function repeatsOwnRetry(
  actor: Actor,
  transfer: TransferState,
  ownLast: Date | null,
  now: Date,
  wouldMove: boolean,
): boolean {
  if (checkRetry(actor, transfer) || ownLast === null || ownLast.getTime() !== transfer.updatedAt.getTime())
    return false;
  if (now.getTime() - ownLast.getTime() > RETRY_REPEAT_MS) return false;
  if (transfer.status === 'transfer_completed') return true;
  return transfer.status === 'transfer_completed_with_failure' && !wouldMove;
}

/** "Already decided by X at T": what the loser of a race (or a second click) is told. */
export function alreadyDecided(
  id: string,
  decision: string | null,
  by: string | null,
  at: Date | null,
): Refusal {
  return refuse('already_decided', 'core:refusal.alreadyDecided', {
    id,
    decision: decision ?? '',
    by: by ?? '',
    at: at ? at.toISOString() : '',
  });
}

/** What this viewer may do with this transfer now: the buttons a surface shows, and no others. */
export type TransferAction = 'view' | 'submit' | 'cancel' | 'consent' | 'screen' | 'retry' | 'download';

export function allowedActions(
  actor: Actor,
  transfer: TransferState,
  hasFailedItems: boolean,
): TransferAction[] {
  if (!canView(actor, transfer)) return [];
  const actions: TransferAction[] = ['view', 'download'];
  if (actor.userId === transfer.requesterId) {
    if (transfer.status === 'pending_submission' && !checkSubmitOrCancel(actor, transfer, 'submit'))
      actions.push('submit');
    if (CANCELLABLE.includes(transfer.status)) actions.push('cancel');
  }
  if (transfer.status === 'awaiting_consent' && 'consent' in checkConsent(actor, transfer))
    actions.push('consent');
  if (transfer.status === 'compliance_screening' && !checkScreen(actor, transfer)) actions.push('screen');
  if (transfer.status === 'transfer_completed_with_failure' && hasFailedItems && !checkRetry(actor, transfer))
    actions.push('retry');
  return actions;
}

/**
 * Whether the transfer waits for this actor's decision now — their consent (as transferee, or as
 * transferor on a partner's request) or their screening: what a list marks "View / Provide Consent".
 */
export function awaitsDecisionBy(actor: Actor, transfer: TransferState): boolean {
  return allowedActions(actor, transfer, false).some((action) => action === 'consent' || action === 'screen');
}

/** The label of a consenter's role (Transferee, Transferor), for every surface that names it. */
export function consentRoleLabelKey(role: ConsentRole): MessageKey {
  return `common:role.${role}`;
}
