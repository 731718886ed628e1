import { isAdminOf, isPartnerFor } from '../domain/permissions.js';
import { transferorCandidates } from '../domain/consenters.js';
import type { Actor } from '../domain/types.js';
import type { AppDeps } from './deps.js';

/**
 * Who may be named transferee on the transfer request form: an admin of the destination other than the
 * requester. Only someone administering the destination may browse its admins.
 */
export async function transfereeCandidates(
  deps: AppDeps,
  actor: Actor,
  destination: string | undefined,
): Promise<{ name: string; email: string }[]> {
  const account = destination ? await deps.store.accounts.findSmartAccount(destination) : undefined;
  if (!account || !isAdminOf(actor, account.id)) return [];
  const admins = await deps.store.users.adminsOf(account.id);
  return admins
    .filter((admin) => admin.id !== actor.userId)
    .map((admin) => ({ name: admin.name, email: admin.email }));
}

/** The request form's prefill: the destination's legal entity as the inventory knows it. */
export async function transfereeCompany(
  deps: AppDeps,
  destination: string | undefined,
): Promise<{ legalName: string | null; address: string | null }> {
  const account = destination ? await deps.store.accounts.findSmartAccount(destination) : undefined;
  const entity = account ? await deps.store.accounts.findLegalEntity(account.legalEntityId) : undefined;
  return { legalName: entity?.name ?? null, address: entity?.address ?? null };
}

/**
 * Who may be named transferor on a partner's request between these accounts: the admins of the source
 * from its own legal entity. Empty when the actor is not a partner for them (no transferor is asked),
 * or does not administer the source.
 */
export async function transferorChoices(
  deps: AppDeps,
  actor: Actor,
  source: string | undefined,
  destination: string | undefined,
): Promise<{ name: string; email: string }[]> {
  const from = source ? await deps.store.accounts.findSmartAccount(source) : undefined;
  const to = destination ? await deps.store.accounts.findSmartAccount(destination) : undefined;
  if (!from || !to || !isAdminOf(actor, from.id) || !isPartnerFor(actor, from, to)) return [];
  const admins = await deps.store.users.adminsOf(from.id);
  return transferorCandidates(actor.userId, from, admins).map((u) => ({ name: u.name, email: u.email }));
}
