import type { Q } from './client.js';
import { replaceRoleGrants, roleChangesOf, type RoleGrantRow } from './import-role-changes.js';
import { upsertIdentities, upsertUsers, type RowOutcome, type UserRow } from './inventory-upserts.js';
import type { ImportCounts, ImportedRoleChange } from '../src/app/ports/inventory.js';
import type { IdentityPlatform } from '../src/app/ports/users.js';
import type { Inventory, InventoryUser } from '../src/inventory/schema.js';

/**
 * Users, then their Smart Account roles: for each user whose `roles` the file gives, the grants on the Smart
 * Accounts the file names (listed, or in any role) become exactly those roles; grants elsewhere are kept.
 * Returns the roles given and taken away (see import-role-changes.ts).
 */
export async function importUsers(
  tx: Q,
  inventory: Inventory,
  accounts: Map<string, number>,
  counts: ImportCounts,
): Promise<ImportedRoleChange[]> {
  const users = inventory.users ?? [];
  if (users.length === 0) return [];
  const ids = new Map<string, number>();
  const outcomes = new Map<number, RowOutcome>();
  const globalBefore = new Map<number, string[]>();
  for (const setGlobalRoles of [true, false]) {
    const group = users.filter((u) => (u.globalRoles !== undefined) === setGlobalRoles);
    if (group.length === 0) continue;
    for (const row of await upsertUsers(tx, group.map(toUserRow), setGlobalRoles)) {
      ids.set(row.email.toLowerCase(), row.id);
      outcomes.set(row.id, row.outcome);
      if (row.globalRolesBefore) globalBefore.set(row.id, row.globalRolesBefore);
    }
  }
  const relinked = await upsertIdentities(
    tx,
    users.flatMap((u) => {
      const userId = ids.get(u.email.toLowerCase())!;
      return identitiesOf(u).map(([platform, externalId]) => ({
        platform,
        external_id: externalId,
        user_id: userId,
      }));
    }),
  );

  const named = new Set<number>();
  for (const a of inventory.smartAccounts ?? []) named.add(accounts.get(a.domain)!);
  for (const u of users) for (const r of u.roles ?? []) named.add(accounts.get(r.smartAccount)!);
  const withRoles = users.filter((u) => u.roles !== undefined);
  const grants = withRoles.flatMap((u) =>
    (u.roles ?? []).map((r): RoleGrantRow => ({
      user_id: ids.get(u.email.toLowerCase())!,
      smart_account_id: accounts.get(r.smartAccount)!,
      role: r.role,
    })),
  );
  const regranted = await replaceRoleGrants(
    tx,
    withRoles.map((u) => ids.get(u.email.toLowerCase())!),
    [...named],
    grants,
  );
  // A person is updated when their chat ids or roles change, though their own row stays as it was.
  for (const id of [...relinked, ...regranted.map((g) => g.user_id)]) {
    if (outcomes.get(id) === 'unchanged') outcomes.set(id, 'updated');
  }
  const changes = roleChangesOf(users, ids, outcomes, globalBefore, regranted);
  for (const outcome of outcomes.values()) counts.users[outcome] += 1;
  return changes;
}

function toUserRow(u: InventoryUser): UserRow {
  return {
    email: u.email,
    name: u.name,
    locale: u.locale ?? null,
    time_zone: u.timeZone ?? null,
    legal_entity_id: u.legalEntityId ?? null,
    global_roles: u.globalRoles ?? null,
  };
}

/** The platform ids an inventory user names (the file keeps one field per platform). */
function identitiesOf(u: InventoryUser): [IdentityPlatform, string][] {
  const named: [IdentityPlatform, string | null | undefined][] = [
    ['slack', u.slackUserId],
    ['teams', u.teamsUserId],
  ];
  return named.filter((pair): pair is [IdentityPlatform, string] => typeof pair[1] === 'string');
}
