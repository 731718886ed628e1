import type { ConsentRole, SmartAccountRef } from './types.js';

/**
 * Who could themselves give a consent the transfer waits for (SPEC §4), and so whom an escalation about it
 * asks to follow up: for the transferee's, the admins of the destination; for the transferor's, the admins
 * of the source from its own legal entity (`transferorCandidates`). Never the requester, who is the one
 * waiting for the answer, and never anyone asked to consent on the transfer (in either role): the giving
 * and the receiving company consent through two people.
 */
export function consentAnswerers<T extends { id: number; legalEntityId: string | null }>(
  role: ConsentRole,
  transfer: { requesterId: number; consenterIds: readonly number[] },
  account: SmartAccountRef,
  admins: readonly T[],
): T[] {
  const { requesterId, consenterIds } = transfer;
  const could =
    role === 'transferor'
      ? transferorCandidates(requesterId, account, admins)
      : admins.filter((u) => u.id !== requesterId);
  return could.filter((u) => !consenterIds.includes(u.id));
}

/**
 * Who may consent as transferor on a partner's request: the admins of the source Smart Account from its
 * own legal entity (the customer's), never the requester, and never the transferee: the giving and the
 * receiving company consent through two people, whoever administers both accounts.
 */
export function transferorCandidates<T extends { id: number; legalEntityId: string | null }>(
  requesterId: number,
  source: SmartAccountRef,
  sourceAdmins: readonly T[],
  transfereeId: number | null = null,
): T[] {
  if (!source.legalEntityId) return [];
  return sourceAdmins.filter(
    (u) => u.id !== requesterId && u.id !== transfereeId && u.legalEntityId === source.legalEntityId,
  );
}
