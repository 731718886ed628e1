import { msg, type MessageKey, type Msg } from './msg.js';
import { GLOBAL_ROLES, refuse, type Actor, type GlobalRole, type Refusal } from './types.js';

/**
 * Granting and taking away roles from chat: who may, and what a grant or a revocation does to what a
 * person holds. A person holds at most one role on each Smart Account (admin or user), and any of the
 * global roles.
 */

export type AccountRole = 'admin' | 'user';
export const ACCOUNT_ROLES: readonly AccountRole[] = ['admin', 'user'];
export type Role = AccountRole | GlobalRole;
export const ROLES: readonly Role[] = [...ACCOUNT_ROLES, ...GLOBAL_ROLES];

export function isAccountRole(role: Role): role is AccountRole {
  return (ACCOUNT_ROLES as readonly string[]).includes(role);
}

export type RoleChangeKind = 'grant' | 'revoke';

/** A role as the person it changes for reads it: its label in the catalogs, for a text to nest. */
const ROLE_LABELS: Readonly<Record<Role, MessageKey>> = {
  admin: 'common:role.admin',
  user: 'common:role.user',
  compliance: 'common:role.compliance',
  licensing_ops: 'common:role.licensingOps',
  bot_admin: 'common:role.botAdmin',
};

export function roleLabelKey(role: Role): MessageKey {
  return ROLE_LABELS[role];
}

/** Only a bot admin grants or takes away roles. */
export function checkRoleChange(actor: Actor): Refusal | null {
  return actor.globalRoles.has('bot_admin') ? null : refuse('forbidden', 'core:refusal.notBotAdmin');
}

/** What a grant or a revocation is about, as the database holds it now. */
export interface RoleChangeState {
  kind: RoleChangeKind;
  role: Role;
  person: { id: number; name: string; email: string };
  /** The Smart Account of an admin or user role. */
  account?: { domain: string; name: string };
  /**
   * On a Smart Account, the one role the person holds there (null: none); for a global role, that role
   * when they hold it.
   */
  current: Role | null;
  /** Everyone who holds `bot_admin` now, by id. */
  botAdmins: readonly number[];
}

export type RoleDecision =
  | { ok: false; refusal: Refusal }
  /** The person already holds what a grant gives, or lacks what a revocation takes: nothing to write. */
  | { ok: true; change: 'none'; message: Msg }
  /**
   * `set`: the role is given (on a Smart Account, in place of `previous`); `remove`: taken away. `message`
   * answers the bot admin, `notice` tells the person.
   */
  | { ok: true; change: 'set' | 'remove'; previous: Role | null; message: Msg; notice: Msg };

/**
 * Decides a grant or a revocation. The last bot admin is never taken away: without one, nobody could give
 * the role again from chat.
 */
export function decideRoleChange(actor: Actor, state: RoleChangeState): RoleDecision {
  const forbidden = checkRoleChange(actor);
  if (forbidden) return { ok: false, refusal: forbidden };
  const { kind, role, person, account, current } = state;
  const params: Record<string, string> = {
    name: person.name,
    email: person.email,
    roleKey: roleLabelKey(role),
    ...(account ? { account: account.domain, accountName: account.name } : {}),
  };
  // Each text twice: for a global role, and for a role on the Smart Account it names.
  const text = (global: MessageKey, onAccount: MessageKey, extra: Record<string, string> = {}): Msg =>
    msg(account ? onAccount : global, { ...params, ...extra });
  const by = { by: actor.name };

  if (kind === 'grant') {
    if (current === role)
      return { ok: true, change: 'none', message: text('core:role.alreadyHas', 'core:role.alreadyHasOn') };
    if (current !== null && account) {
      const previous = { previousKey: roleLabelKey(current) };
      return {
        ok: true,
        change: 'set',
        previous: current,
        message: msg('core:role.replacedOn', { ...params, ...previous }),
        notice: msg('core:role.yours.replacedOn', { ...params, ...previous, ...by }),
      };
    }
    return {
      ok: true,
      change: 'set',
      previous: null,
      message: text('core:role.granted', 'core:role.grantedOn'),
      notice: text('core:role.yours.granted', 'core:role.yours.grantedOn', by),
    };
  }

  if (current !== role)
    return { ok: true, change: 'none', message: text('core:role.doesNotHave', 'core:role.doesNotHaveOn') };
  if (role === 'bot_admin' && state.botAdmins.every((id) => id === person.id))
    return {
      ok: false,
      refusal: refuse('forbidden', 'core:refusal.lastBotAdmin', { name: person.name, email: person.email }),
    };
  return {
    ok: true,
    change: 'remove',
    previous: role,
    message: text('core:role.revoked', 'core:role.revokedOn'),
    notice: text('core:role.yours.revoked', 'core:role.yours.revokedOn', by),
  };
}
