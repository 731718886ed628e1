import { roleLabelKey, type Role } from '../domain/roles.js';
import { msg, type Msg } from '../i18n/msg.js';
import { placedAssets, placedElsewhereReason } from '../inventory/placed-elsewhere.js';
import { IMPORT_ACTOR, INVENTORY_PLACED, SYSTEM_ACTOR } from './history-text.js';
import type { ImportedRoleChange, ImportOutcome } from './ports/inventory.js';
import type { OutboxEntry } from './ports/outbox.js';
import type { Repositories } from './ports/store.js';
import type { NewHistory } from './ports/transfers.js';

/**
 * What the application keeps of an inventory import, written in the import's own transaction (see
 * `ImportOptions.record`), so that nothing of it is kept for a file refused part-way:
 * - each completed transfer whose assets the file placed elsewhere: a step in its history, by the system;
 * - each role the import gave or took away: a `role.grant` or `role.revoke` row, as a grant or a
 *   revocation in chat writes, with the import as the actor;
 * - each person whose roles it changed: one direct message, in their language, listing every change.
 * Two statements for the history and the messages, whatever their number (see bulk-writes.ts).
 */
export function importRecorder(at: Date): (repos: Repositories, outcome: ImportOutcome) => Promise<void> {
  return async (repos, outcome) => {
    await repos.transfers.appendHistory([
      ...outcome.placedElsewhere.map((p): NewHistory => ({
        transferId: p.transferId,
        at,
        actor: SYSTEM_ACTOR,
        surface: 'cli',
        action: INVENTORY_PLACED,
        reason: placedElsewhereReason('en', p),
        details: { ...placedAssets(p) },
      })),
      ...outcome.roleChanges.map((change) => roleHistory(change, at)),
    ]);
    await repos.outbox.enqueue(
      at,
      rolesChangedByPerson(outcome.roleChanges).map((person) => roleNotice(person, at)),
    );
  };
}

/** A role as held: on a Smart Account (admin, user) or global. */
export interface HeldRole {
  role: Role;
  account?: { domain: string; name: string };
}

/** One person's roles that an import changed: those gained and those lost (a replaced role is both). */
export interface PersonRolesChanged {
  person: ImportedRoleChange['person'];
  gained: HeldRole[];
  lost: HeldRole[];
  /** The changes themselves, as recorded. */
  changes: ImportedRoleChange[];
}

/** The changes grouped by person, people in e-mail order, each one's roles global first, then by account. */
export function rolesChangedByPerson(changes: readonly ImportedRoleChange[]): PersonRolesChanged[] {
  const sorted = [...changes].sort(
    (a, b) =>
      compare(a.person.email.toLowerCase(), b.person.email.toLowerCase()) ||
      compare(a.account?.domain ?? '', b.account?.domain ?? '') ||
      compare(a.role, b.role),
  );
  const people = new Map<number, PersonRolesChanged>();
  for (const change of sorted) {
    let person = people.get(change.person.id);
    if (!person) {
      person = { person: change.person, gained: [], lost: [], changes: [] };
      people.set(change.person.id, person);
    }
    const held = (role: Role): HeldRole => ({ role, ...(change.account ? { account: change.account } : {}) });
    person.changes.push(change);
    if (change.kind === 'revoke') person.lost.push(held(change.role));
    else {
      person.gained.push(held(change.role));
      if (change.previous) person.lost.push(held(change.previous));
    }
  }
  return [...people.values()];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The history row of one change: as `grant` and `revoke` in chat write theirs, done by the import. */
function roleHistory(change: ImportedRoleChange, at: Date): NewHistory {
  return {
    transferId: null,
    at,
    actorId: null,
    actor: IMPORT_ACTOR,
    surface: 'cli',
    action: change.kind === 'grant' ? 'role.grant' : 'role.revoke',
    details: {
      person: change.person.email,
      role: change.role,
      ...(change.account ? { smartAccount: change.account.domain } : {}),
      ...(change.previous ? { previous: change.previous } : {}),
    },
  };
}

/** The message that tells a person what the import changed of their roles, one line a change. */
function roleNotice({ person, changes }: PersonRolesChanged, at: Date): OutboxEntry {
  return {
    dedupeKey: `role:import:${person.id}:${at.toISOString()}`,
    recipientUserId: person.id,
    payload: { type: 'message', text: msg('core:role.imported.title'), lines: changes.map(noticeLine) },
  };
}

function noticeLine(change: ImportedRoleChange): Msg {
  const params: Record<string, string> = {
    roleKey: roleLabelKey(change.role),
    ...(change.account ? { account: change.account.domain, accountName: change.account.name } : {}),
  };
  if (change.kind === 'revoke')
    return msg(change.account ? 'core:role.imported.revokedOn' : 'core:role.imported.revoked', params);
  if (change.previous)
    return msg('core:role.imported.replacedOn', { ...params, previousKey: roleLabelKey(change.previous) });
  return msg(change.account ? 'core:role.imported.grantedOn' : 'core:role.imported.granted', params);
}
