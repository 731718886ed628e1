import type { RoleTarget } from '../commands/command.js';
import {
  checkRoleChange,
  decideRoleChange,
  isAccountRole,
  type RoleChangeKind,
  type RoleChangeState,
  type RoleDecision,
} from '../domain/roles.js';
import { refuse, type Actor } from '../domain/types.js';
import { keyParam, listParam, msg, type Msg } from '../i18n/msg.js';
import { settleAnswerers } from './consents-lost.js';
import { actorLabel } from './apply.js';
import { officersChanged } from './officers.js';
import type { AppDeps } from './deps.js';
import { ConcurrentUpdateError, type Repositories } from './ports/store.js';
import { auditRefusal, inTransaction, okResult, refused, type Result } from './run.js';

/** What a grant or a revocation answers the bot admin, and the transfers it cancelled (see below). */
export interface RoleChanged {
  message: Msg;
  /** False when the person already held what was granted, or lacked what was taken away. */
  changed: boolean;
  /** Transfers cancelled as a consent they waited for can no longer be given (see settleAnswerers). */
  cancelled: string[];
}

/**
 * A bot admin gives a person a role, or takes it away: the role, its history row and the message that
 * tells the person are written in one transaction, the role as a compare-and-set on what was read (a
 * change that lost a race is read and decided again). Then, as an import does: a change of a Smart Account
 * role settles the transfers waiting for the person's consent (see settleAnswerers: cancelled when nobody
 * asked can give it any more, else the history says they can no longer answer, or can again, and their
 * card is redrawn); a change of the compliance role redraws their screening cards, and a new compliance
 * officer gets the screenings already waiting (see officersChanged).
 */
export async function changeRole(
  deps: AppDeps,
  actor: Actor,
  kind: RoleChangeKind,
  target: RoleTarget,
): Promise<Result<RoleChanged>> {
  const result = await inTransaction(deps, (repos) => writeRoleChange(deps, repos, actor, kind, target));
  if (!result.ok) {
    await auditRefusal(deps, actor, null, `role.${kind}`, result.refusal);
    return result;
  }
  const { message, changed, person } = result.value;
  const cancelled =
    changed && isAccountRole(target.role) ? await settleAnswerers(deps, { by: actor, userId: person }) : [];
  if (changed && target.role === 'compliance')
    await officersChanged(deps, kind === 'grant' ? [person] : [], kind === 'revoke' ? [person] : []);
  // The bot admin learns which transfers the change ended, as `transfer-bot import` names them.
  const told =
    cancelled.length === 0
      ? message
      : msg('core:role.cancelledToo', {
          ...message.params,
          messageKey: keyParam(message.key),
          ids: listParam(cancelled),
          count: cancelled.length,
        });
  return okResult({ message: told, changed, cancelled });
}

async function writeRoleChange(
  deps: AppDeps,
  repos: Repositories,
  actor: Actor,
  kind: RoleChangeKind,
  target: RoleTarget,
): Promise<Result<{ message: Msg; changed: boolean; person: number }>> {
  const read = await readRoleState(repos, actor, kind, target);
  if (!read.ok) return read;
  const state = read.value;
  const decision = decideRoleChange(actor, state.state);
  if (!decision.ok) return refused(decision.refusal);
  if (decision.change === 'none')
    return okResult({ message: decision.message, changed: false, person: state.state.person.id });

  if (!(await writeRole(repos, state, decision))) throw new ConcurrentUpdateError();
  const { person, role, account } = state.state;
  const now = deps.now();
  await repos.transfers.appendHistory([
    {
      transferId: null,
      at: now,
      actorId: actor.userId,
      actor: actorLabel(actor),
      surface: actor.surface,
      action: kind === 'grant' ? 'role.grant' : 'role.revoke',
      details: {
        person: person.email,
        role,
        ...(account ? { smartAccount: account.domain } : {}),
        ...(decision.previous && decision.previous !== role ? { previous: decision.previous } : {}),
      },
    },
  ]);
  // The bot admin reads the reply; anyone else whose role changed is told, in their own language.
  if (person.id !== actor.userId)
    await repos.outbox.enqueue(now, [
      {
        dedupeKey: `role:${kind}:${person.id}:${role}:${account?.domain ?? ''}:${now.toISOString()}`,
        recipientUserId: person.id,
        // Should they be out of reach, the bot admin hears it, and the notice waits for them (see giveUp).
        payload: {
          type: 'message',
          text: decision.notice,
          lines: [],
          requester: { userId: actor.userId, surface: actor.surface },
        },
      },
    ]);
  return okResult({ message: decision.message, changed: true, person: person.id });
}

interface ReadState {
  state: RoleChangeState;
  smartAccountId: number | null;
}

/** The person, the Smart Account and what the person holds now; refused, naming it, for one that does not exist. */
async function readRoleState(
  repos: Repositories,
  actor: Actor,
  kind: RoleChangeKind,
  target: RoleTarget,
): Promise<Result<ReadState>> {
  // Whoever is not a bot admin learns nothing of who or what exists.
  const forbidden = checkRoleChange(actor);
  if (forbidden) return refused(forbidden);
  const base = { kind, role: target.role };
  // Locked first: a revocation of the role counts the others still holding it as they are at commit.
  const botAdmins = target.role === 'bot_admin' ? await repos.roles.lockHoldersOf('bot_admin') : [];
  const person = await repos.users.findUser({ email: target.email });
  if (!person) return refused(refuse('invalid', 'core:refusal.unknownPerson', { email: target.email }));
  const who = { id: person.id, name: person.name, email: person.email };
  if (!('smartAccount' in target)) {
    const current = person.globalRoles.includes(target.role) ? target.role : null;
    return okResult({ state: { ...base, person: who, current, botAdmins }, smartAccountId: null });
  }
  const account = await repos.accounts.findSmartAccount(target.smartAccount);
  if (!account)
    return refused(refuse('invalid', 'core:refusal.unknownAccount', { domain: target.smartAccount }));
  const current = (await repos.roles.roleOn(person.id, account.id)) ?? null;
  return okResult({
    state: {
      ...base,
      person: who,
      account: { domain: account.domain, name: account.name },
      current,
      botAdmins,
    },
    smartAccountId: account.id,
  });
}

/** The compare-and-set of the decided change; false when the role is no longer as it was read. */
function writeRole(
  repos: Repositories,
  { state, smartAccountId }: ReadState,
  decision: Extract<RoleDecision, { change: 'set' | 'remove' }>,
): Promise<boolean> {
  const { role, person } = state;
  if (!isAccountRole(role)) return repos.roles.setGlobalRole(person.id, role, decision.change === 'set');
  if (smartAccountId === null) return Promise.resolve(false);
  if (decision.change === 'remove') return repos.roles.removeRoleOn(person.id, smartAccountId, role);
  const previous = decision.previous !== null && isAccountRole(decision.previous) ? decision.previous : null;
  return repos.roles.setRoleOn(person.id, smartAccountId, role, previous);
}
