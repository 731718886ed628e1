import { sql } from 'drizzle-orm';
import type { Q } from './client.js';
import { batch, query, setWhereChanged, type RowOutcome } from './inventory-upserts.js';
import type { ImportedRoleChange } from '../src/app/ports/inventory.js';
import type { AccountRole } from '../src/domain/roles.js';
import { GLOBAL_ROLES, type GlobalRole } from '../src/domain/types.js';
import type { InventoryUser } from '../src/inventory/schema.js';

/**
 * What an import does to people's roles, found as it writes them, for the application to record and
 * announce: the statement that writes the users returns the global roles of each one it updated as they were
 * (see `upsertUsers`), and the one that replaces the Smart Account roles reports each grant it changed with
 * the role it held before. No statement more than the import made already, however many people it lists.
 */

export interface RoleGrantRow {
  user_id: number;
  smart_account_id: number;
  role: AccountRole;
}

/** A grant the import wrote or deleted: what the person held on the Smart Account before, and holds now. */
export interface GrantChange {
  user_id: number;
  domain: string;
  name: string;
  was: AccountRole | null;
  now: AccountRole | null;
}

/**
 * These users' grants on these Smart Accounts become exactly `grants`; grants elsewhere are kept. Returns each
 * grant that changed, with the role held before: the statement's own reads see the table as it was, its
 * writes not yet. The grants deleted are those on accounts `grants` does not name for the user, so no row is
 * both deleted and upserted by the one statement.
 */
export async function replaceRoleGrants(
  q: Q,
  userIds: number[],
  smartAccountIds: number[],
  grants: RoleGrantRow[],
): Promise<GrantChange[]> {
  if (userIds.length === 0) return [];
  return query<GrantChange>(
    q,
    sql`with wanted as (
        select * from ${batch(grants)} as r(user_id int, smart_account_id int, role text)
      ), gone as (
        delete from role_grants g
        where g.user_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(userIds)}::text::jsonb))
          and g.smart_account_id in (select value::int from jsonb_array_elements_text(
            ${JSON.stringify(smartAccountIds)}::text::jsonb))
          and not exists (select from wanted w where w.user_id = g.user_id and w.smart_account_id = g.smart_account_id)
        returning g.user_id, g.smart_account_id, g.role
      ), put as (
        insert into role_grants (user_id, smart_account_id, role)
        select user_id, smart_account_id, role from wanted
        on conflict (user_id, smart_account_id) ${setWhereChanged('role_grants', { role: sql`excluded.role` })}
        returning user_id, smart_account_id, role
      ), changed as (
        select user_id, smart_account_id, role as was, null::text as now from gone
        union all
        select p.user_id, p.smart_account_id, b.role, p.role from put p
        left join role_grants b on b.user_id = p.user_id and b.smart_account_id = p.smart_account_id
      )
      select c.user_id, s.domain, s.name, c.was, c.now
      from changed c join smart_accounts s on s.id = c.smart_account_id`,
  );
}

/**
 * The roles the import gave or took away from the people the database held before it (`outcomes`: what
 * became of each listed person's row; one it created starts with the roles the file gives, no change).
 * `globalBefore`: by user id, the global roles of each person whose row the import updated setting them.
 */
export function roleChangesOf(
  users: readonly InventoryUser[],
  ids: ReadonlyMap<string, number>,
  outcomes: ReadonlyMap<number, RowOutcome>,
  globalBefore: ReadonlyMap<number, string[]>,
  grants: readonly GrantChange[],
): ImportedRoleChange[] {
  const people = new Map<number, ImportedRoleChange['person']>();
  for (const u of users) {
    const id = ids.get(u.email.toLowerCase());
    if (id !== undefined && outcomes.get(id) !== 'created')
      people.set(id, { id, name: u.name, email: u.email });
  }
  const changes: ImportedRoleChange[] = [];
  for (const u of users) {
    const id = ids.get(u.email.toLowerCase()) ?? -1;
    const before = globalBefore.get(id);
    const person = people.get(id);
    if (!before || !person || !u.globalRoles) continue;
    const now = new Set<string>(u.globalRoles);
    const held = new Set(before);
    const onlyIn = (these: Set<string>, those: Set<string>): GlobalRole[] =>
      GLOBAL_ROLES.filter((role) => these.has(role) && !those.has(role));
    for (const role of onlyIn(now, held)) changes.push({ person, kind: 'grant', role });
    for (const role of onlyIn(held, now)) changes.push({ person, kind: 'revoke', role });
  }
  for (const g of grants) {
    const person = people.get(g.user_id);
    if (!person) continue;
    const account = { domain: g.domain, name: g.name };
    if (g.now === null) {
      if (g.was !== null) changes.push({ person, kind: 'revoke', role: g.was, account });
    } else {
      changes.push({ person, kind: 'grant', role: g.now, account, ...(g.was ? { previous: g.was } : {}) });
    }
  }
  return changes;
}
