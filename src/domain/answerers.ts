import { listParam, msg, type Msg } from './msg.js';
import { chain, no, ok, wrongStatus, type Outcome } from './decide.js';
import type { ConsentState, TransferState } from './types.js';
import { refuse } from './types.js';

/** A bot admin who just gave or took away a person's admin role: the person, and the bot admin's name. */
export interface RoleChangedBy {
  userId: number;
  by: string;
}

/** What changed the roles the consents need: a bot admin's change (`changed`), or an inventory import. */
export interface AnswerersChange {
  changed?: RoleChangedBy | null;
  imported?: boolean;
}

/**
 * The people asked to consent whose roles changed since the history last spoke of them (each consent says
 * whether its person may still answer, `mayAnswer`, and whether the history said they cannot,
 * `cannotAnswerSince`), one step at a time:
 * - nobody asked in a role can give that consent any more (the transferee, or every transferor still asked,
 *   lost the administrator role): the transfer would wait for its deadline holding its assets, with
 *   reminders to people who cannot answer; it is cancelled now, saying who can no longer consent;
 * - else, some asked can no longer answer while others still can: the history says so, once, their
 *   cards lose their buttons, and the requester is told who can no longer answer and who still can
 *   (`answerers`);
 * - else, some the history said could not answer may again (their role came back before the transfer moved
 *   on): it says so, their cards get their buttons back, and the requester is told.
 * `nameOf` gives a person's name. A step about the person a bot admin's change named is that bot admin's
 * (`byRoleChange`), saying so; one after an inventory import says that; any other, the system's.
 */
export function decideAnswerers(
  transfer: TransferState,
  nameOf: (userId: number) => string,
  change: AnswerersChange = {},
): Outcome {
  if (transfer.status !== 'awaiting_consent') return wrongStatus(transfer, 'consent.lost');
  const changed = change.changed ?? null;
  const pending = transfer.consents.filter((c) => c.decision === null);
  for (const role of ['transferee', 'transferor'] as const) {
    const asked = transfer.consents.filter((c) => c.role === role);
    if (asked.some((c) => c.decision === 'approved')) continue;
    const open = pending.filter((c) => c.role === role);
    if (open.length === 0 || open.some((c) => c.mayAnswer)) continue;
    const names = listParam(open.map((c) => nameOf(c.userId)));
    const byRoleChange = changed !== null && open.some((c) => c.userId === changed.userId);
    const cancelReason = byRoleChange
      ? msg('core:cancel.roleTakenAway', { names, role, by: changed.by })
      : msg('core:cancel.consentLost', { names, role });
    return ok({
      action: 'consent.lost',
      steps: chain(transfer.status, ['cancelled', cancelReason]),
      cancelReason,
      ...(byRoleChange ? { byRoleChange } : {}),
    });
  }
  const lost = pending.filter((c) => !c.mayAnswer && c.cannotAnswerSince === null);
  const regained = pending.filter((c) => c.mayAnswer && c.cannotAnswerSince !== null);
  const canAnswer = lost.length === 0;
  const told = canAnswer ? regained : lost;
  const [first] = told;
  if (!first) return no(refuse('invalid', 'core:refusal.notDue', { id: transfer.id }));
  // One step per role and per cause: the bot admin's change first, then what else changed.
  const sameRole = told.filter((c) => c.role === first.role);
  const theirs = sameRole.filter((c) => c.userId === changed?.userId);
  const byRoleChange = changed !== null && theirs.length > 0;
  const people = byRoleChange ? theirs : sameRole;
  const params = { names: listParam(people.map((c) => nameOf(c.userId))), role: first.role };
  const cause = byRoleChange ? 'byRoleChange' : change.imported ? 'imported' : 'noted';
  const note = msg(`core:answerers.${canAnswer ? 'canAgain' : 'cannot'}.${cause}`, {
    ...params,
    ...(byRoleChange ? { by: changed.by } : {}),
  });
  return ok({
    action: canAnswer ? 'consent.canAnswer' : 'consent.cannotAnswer',
    steps: [],
    note,
    answerers: {
      userIds: people.map((c) => c.userId),
      canAnswer,
      names: params.names,
      awaited: canAnswer ? [] : awaitedFrom(pending, nameOf),
    },
    ...(byRoleChange ? { byRoleChange } : {}),
  });
}

/**
 * Who the transfer still waits for, one line per role: those of the consents not given yet (`pending`)
 * who may still answer. A role asked of several people (every eligible transferor) waits for any one of
 * them: the first to answer decides.
 */
function awaitedFrom(pending: readonly ConsentState[], nameOf: (userId: number) => string): Msg[] {
  return (['transferee', 'transferor'] as const).flatMap((role) => {
    const asked = pending.filter((c) => c.role === role && c.mayAnswer);
    if (asked.length === 0) return [];
    const names = listParam(asked.map((c) => nameOf(c.userId)));
    return [
      msg(asked.length === 1 ? 'core:answerers.awaited.one' : 'core:answerers.awaited.any', { role, names }),
    ];
  });
}
