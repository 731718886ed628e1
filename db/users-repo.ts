import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor, GlobalRole, Surface } from '../src/domain/types.js';
import { GLOBAL_ROLES } from '../src/domain/types.js';
import type { Q } from './client.js';
import { roleGrants, smartAccounts, users } from './schema.js';

export type UserRow = typeof users.$inferSelect;

export type UserKey = { id: number } | { email: string } | { slackUserId: string } | { teamsUserId: string };

export async function findUser(q: Q, key: UserKey): Promise<UserRow | undefined> {
  const where =
    'id' in key
      ? eq(users.id, key.id)
      : 'email' in key
        ? sql`lower(${users.email}) = lower(${key.email})`
        : 'slackUserId' in key
          ? eq(users.slackUserId, key.slackUserId)
          : eq(users.teamsUserId, key.teamsUserId);
  const [row] = await q.select().from(users).where(where).limit(1);
  return row;
}

export async function findUsersByIds(q: Q, ids: number[]): Promise<Map<number, UserRow>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .select()
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The actor as the database knows them now: roles are read on every request, never cached from a payload. */
export async function loadActor(q: Q, user: UserRow, surface: Surface): Promise<Actor> {
  const grants = await q
    .select({ smartAccountId: roleGrants.smartAccountId })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, user.id), eq(roleGrants.role, 'admin')));
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    legalEntityId: user.legalEntityId,
    adminOf: new Set(grants.map((g) => g.smartAccountId)),
    globalRoles: new Set(
      user.globalRoles.filter((r): r is GlobalRole => (GLOBAL_ROLES as string[]).includes(r)),
    ),
    surface,
  };
}

/** Admins of a Smart Account, by e-mail order (a stable choice when one must be named). */
export async function adminsOf(q: Q, smartAccountId: number): Promise<UserRow[]> {
  const rows = await q
    .select({ user: users })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.smartAccountId, smartAccountId), eq(roleGrants.role, 'admin')))
    .orderBy(users.email);
  return rows.map((r) => r.user);
}

export async function linkPlatformId(
  q: Q,
  userId: number,
  platform: 'slack' | 'teams',
  platformUserId: string,
): Promise<void> {
  await q
    .update(users)
    .set(platform === 'slack' ? { slackUserId: platformUserId } : { teamsUserId: platformUserId })
    .where(eq(users.id, userId));
}

export async function setCurrentSmartAccount(q: Q, userId: number, domain: string): Promise<boolean> {
  const [sa] = await q
    .select({ id: smartAccounts.id })
    .from(smartAccounts)
    .where(sql`lower(${smartAccounts.domain}) = lower(${domain})`);
  if (!sa) return false;
  await q.update(users).set({ currentSmartAccountId: sa.id }).where(eq(users.id, userId));
  return true;
}

/** Everyone holding a global role (e.g. the compliance officers), by id. */
export async function usersWithGlobalRole(q: Q, role: GlobalRole): Promise<UserRow[]> {
  return q
    .select()
    .from(users)
    .where(sql`${role} = any(${users.globalRoles})`)
    .orderBy(users.id);
}
