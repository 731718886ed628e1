import { findLegalEntity, findSmartAccount } from '../../db/accounts-repo.js';
import { adminsOf } from '../../db/users-repo.js';
import type { Actor } from '../domain/types.js';
import type { AppDeps } from './deps.js';

/**
 * Who may be named transferee on the transfer request form (SPEC §4): an admin of the destination other
 * than the requester. Only someone administering the destination may browse its admins.
 */
export async function transfereeCandidates(
  deps: AppDeps,
  actor: Actor,
  destination: string | undefined,
): Promise<{ name: string; email: string }[]> {
  const sa = destination ? await findSmartAccount(deps.db, destination) : undefined;
  if (!sa || !actor.adminOf.has(sa.id)) return [];
  const admins = await adminsOf(deps.db, sa.id);
  return admins.filter((a) => a.id !== actor.userId).map((a) => ({ name: a.name, email: a.email }));
}

/** The request form's prefill: the destination's legal entity as the inventory knows it. */
export async function transfereeCompany(
  deps: AppDeps,
  destination: string | undefined,
): Promise<{ legalName: string | null; address: string | null }> {
  const sa = destination ? await findSmartAccount(deps.db, destination) : undefined;
  const entity = sa ? await findLegalEntity(deps.db, sa.legalEntityId) : undefined;
  return { legalName: entity?.name ?? null, address: entity?.address ?? null };
}
