import { and, asc, eq, sql } from 'drizzle-orm';
import type { RoleRepository } from '../src/app/ports/roles.js';
import type { Q } from './client.js';
import { roleGrants, users } from './schema.js';

/** Roles given and taken away one at a time from chat; the inventory import writes them in bulk (inventory-upserts.ts). */
export function roleRepository(q: Q): RoleRepository {
  const grant = (userId: number, smartAccountId: number) =>
    and(eq(roleGrants.userId, userId), eq(roleGrants.smartAccountId, smartAccountId));
  return {
    async roleOn(userId, smartAccountId) {
      const [row] = await q
        .select({ role: roleGrants.role })
        .from(roleGrants)
        .where(grant(userId, smartAccountId));
      return row?.role;
    },

    async setRoleOn(userId, smartAccountId, role, previous) {
      if (previous === null) {
        const put = await q
          .insert(roleGrants)
          .values({ userId, smartAccountId, role })
          .onConflictDoNothing()
          .returning({ userId: roleGrants.userId });
        return put.length === 1;
      }
      const changed = await q
        .update(roleGrants)
        .set({ role })
        .where(and(grant(userId, smartAccountId), eq(roleGrants.role, previous)))
        .returning({ userId: roleGrants.userId });
      return changed.length === 1;
    },

    async removeRoleOn(userId, smartAccountId, role) {
      const gone = await q
        .delete(roleGrants)
        .where(and(grant(userId, smartAccountId), eq(roleGrants.role, role)))
        .returning({ userId: roleGrants.userId });
      return gone.length === 1;
    },

    async lockHoldersOf(role) {
      const rows = await q
        .select({ id: users.id })
        .from(users)
        .where(sql`${role} = any(${users.globalRoles})`)
        .orderBy(asc(users.id))
        .for('update');
      return rows.map((row) => row.id);
    },

    async setGlobalRole(userId, role, held) {
      const changed = await q
        .update(users)
        .set({
          globalRoles: held
            ? sql`array_append(${users.globalRoles}, ${role}::text)`
            : sql`array_remove(${users.globalRoles}, ${role}::text)`,
        })
        .where(
          and(
            eq(users.id, userId),
            held ? sql`not (${role} = any(${users.globalRoles}))` : sql`${role} = any(${users.globalRoles})`,
          ),
        )
        .returning({ id: users.id });
      return changed.length === 1;
    },
  };
}
