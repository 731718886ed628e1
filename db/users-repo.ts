import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Identities, UserRepository, UserRow } from '../src/app/ports/users.js';
import type { Q } from './client.js';
import { roleGrants, smartAccounts, users } from './schema.js';

type StoredUser = typeof users.$inferSelect;

function toUser({ slackUserId, teamsUserId, ...user }: StoredUser): UserRow {
  const identities: { -readonly [P in keyof Identities]: Identities[P] } = {};
  if (slackUserId !== null) identities.slack = slackUserId;
  if (teamsUserId !== null) identities.teams = teamsUserId;
  return { ...user, identities };
}

const adminGrant = and(eq(roleGrants.userId, users.id), eq(roleGrants.role, 'admin'));

export function userRepository(q: Q): UserRepository {
  return {
    async findUser(key) {
      const where =
        'id' in key
          ? eq(users.id, key.id)
          : 'email' in key
            ? sql`lower(${users.email}) = lower(${key.email})`
            : key.identity.platform === 'slack'
              ? eq(users.slackUserId, key.identity.externalId)
              : eq(users.teamsUserId, key.identity.externalId);
      const [row] = await q.select().from(users).where(where).limit(1);
      return row && toUser(row);
    },

    async findUsersByIds(ids) {
      if (ids.length === 0) return new Map();
      const rows = await q
        .select()
        .from(users)
        .where(inArray(users.id, [...new Set(ids)]));
      return new Map(rows.map((row) => [row.id, toUser(row)]));
    },

    async administeredAccountIds(userId) {
      const grants = await q
        .select({ smartAccountId: roleGrants.smartAccountId })
        .from(roleGrants)
        .where(and(eq(roleGrants.userId, userId), eq(roleGrants.role, 'admin')));
      return grants.map((grant) => grant.smartAccountId);
    },

    async adminsOf(smartAccountId) {
      const rows = await q
        .select({ user: users })
        .from(roleGrants)
        .innerJoin(users, eq(users.id, roleGrants.userId))
        .where(and(eq(roleGrants.smartAccountId, smartAccountId), eq(roleGrants.role, 'admin')))
        .orderBy(users.email);
      return rows.map((row) => toUser(row.user));
    },

    async usersWithGlobalRole(role) {
      const rows = await q
        .select()
        .from(users)
        .where(sql`${role} = any(${users.globalRoles})`)
        .orderBy(users.id);
      return rows.map(toUser);
    },

    async linkIdentity(userId, platform, externalId) {
      const column = platform === 'slack' ? users.slackUserId : users.teamsUserId;
      const linked = await q.execute(sql`
        update ${users} set ${sql.identifier(column.name)} = ${externalId}
        where ${users.id} = ${userId} and ${column} is null
          and not exists (select 1 from ${users} other where other.${sql.identifier(column.name)} = ${externalId})
        returning ${users.id}`);
      return (Array.isArray(linked) ? linked : (linked as { rows: unknown[] }).rows).length === 1;
    },

    async setCurrentSmartAccount(userId, smartAccountId) {
      await q.update(users).set({ currentSmartAccountId: smartAccountId }).where(eq(users.id, userId));
    },

    async directory() {
      const people = await q.select().from(users).orderBy(asc(users.id));
      const grants = await q
        .select({ userId: roleGrants.userId, domain: smartAccounts.domain })
        .from(roleGrants)
        .innerJoin(smartAccounts, eq(smartAccounts.id, roleGrants.smartAccountId))
        .where(eq(roleGrants.role, 'admin'));
      return people.map((person) => ({
        user: toUser(person),
        adminOf: grants.filter((grant) => grant.userId === person.id).map((grant) => grant.domain),
      }));
    },

    async firstUser() {
      const [admin] = await q
        .select({ user: users })
        .from(users)
        .innerJoin(roleGrants, adminGrant)
        .orderBy(asc(users.id))
        .limit(1);
      if (admin) return toUser(admin.user);
      const [anyone] = await q.select().from(users).orderBy(asc(users.id)).limit(1);
      return anyone && toUser(anyone);
    },
  };
}
