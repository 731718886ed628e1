import type { AccountRole } from '../../domain/roles.js';
import type { GlobalRole } from '../../domain/types.js';

/**
 * The roles people hold, written from chat by a bot admin. Each write is a compare-and-set: it answers
 * false, changing nothing, when the role is no longer as the caller read it (another change got there
 * first), for the caller to read again.
 */
export interface RoleRepository {
  /** The one role the person holds on the Smart Account, if any. */
  roleOn(userId: number, smartAccountId: number): Promise<AccountRole | undefined>;
  /** Gives the role on the Smart Account, in place of `previous` (none: the person held no role there). */
  setRoleOn(
    userId: number,
    smartAccountId: number,
    role: AccountRole,
    previous: AccountRole | null,
  ): Promise<boolean>;
  /** Takes the role on the Smart Account away, while the person holds it. */
  removeRoleOn(userId: number, smartAccountId: number, role: AccountRole): Promise<boolean>;
  /**
   * Everyone holding the global role, by id, their rows locked until the transaction ends: two
   * revocations at once cannot both count the other one still there.
   */
  lockHoldersOf(role: GlobalRole): Promise<number[]>;
  /** Gives (`held` true) or takes away the global role, while the person does not hold it (does). */
  setGlobalRole(userId: number, role: GlobalRole, held: boolean): Promise<boolean>;
}
