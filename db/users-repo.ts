import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  isIdentityPlatform,
  type IdentityPlatform,
  type PlatformLocale,
  type UserRepository,
  type UserRow,
} from '../src/app/ports/users.js';
import { z } from 'zod';
import { anyOf, idList } from './bulk-writes.js';
import type { Q } from './client.js';
import { builtOnce } from './prepared.js';
import { roleGrants, smartAccounts, userIdentities, users } from './schema.js';

type StoredUser = typeof users.$inferSelect;

/**
 * A user's ids on every platform and the language and zone each last said, as one JSON object
 * `{"slack": {"id": "U…", "locale": "en-US", "zone": "Asia/Tokyo", "at": "…", "heard": "…"}, "teams": {"id": "29:…"}}`,
 * read with the user.
 */
const identitiesOf = sql<string>`(select coalesce(jsonb_object_agg(${userIdentities.platform},
    jsonb_strip_nulls(jsonb_build_object('id', ${userIdentities.externalId}, 'locale', ${userIdentities.locale}, 'zone', ${userIdentities.timeZone}, 'at', ${userIdentities.localeAt}, 'heard', ${userIdentities.heardAt}))), '{}'::jsonb)::text
  from ${userIdentities} where ${userIdentities.userId} = ${users.id})`;

const identitySchema = z.object({
  id: z.string(),
  locale: z.string().optional(),
  zone: z.string().optional(),
  at: z.string().optional(),
  heard: z.string().optional(),
});

/** The Smart Accounts a user administers, as one JSON array, read with the user. */
const adminOfIds = sql<string>`(select coalesce(jsonb_agg(${roleGrants.smartAccountId} order by ${roleGrants.smartAccountId}), '[]'::jsonb)::text
  from ${roleGrants} where ${roleGrants.userId} = ${users.id} and ${roleGrants.role} = 'admin')`;

/** Every column of the user, and their identities. */
const USER = { user: users, identities: identitiesOf };
/** The same, and what they administer: one person read to act as them. */
const ACTING_USER = { ...USER, adminOf: adminOfIds };

function toUser({
  user,
  identities,
  adminOf,
}: {
  user: StoredUser;
  identities: string;
  adminOf?: string;
}): UserRow {
  const linked: Partial<Record<IdentityPlatform, string>> = {};
  const platformLocales: Partial<Record<IdentityPlatform, PlatformLocale>> = {};
  const heardAt: Partial<Record<IdentityPlatform, Date>> = {};
  for (const [platform, value] of Object.entries(JSON.parse(identities) as Record<string, unknown>)) {
    const identity = identitySchema.safeParse(value);
    if (!isIdentityPlatform(platform) || !identity.success) continue;
    const { id, locale, zone, at, heard } = identity.data;
    linked[platform] = id;
    if (heard !== undefined) heardAt[platform] = new Date(heard);
    if (at !== undefined && (locale !== undefined || zone !== undefined))
      platformLocales[platform] = {
        ...(locale !== undefined ? { locale } : {}),
        ...(zone !== undefined ? { timeZone: zone } : {}),
        at: new Date(at),
      };
  }
  return {
    ...user,
    identities: linked,
    platformLocales,
    heardAt,
    ...(adminOf !== undefined ? { adminOf: (JSON.parse(adminOf) as unknown[]).map(Number) } : {}),
  };
}

// Who acts, and the people a transfer names: read for every click and card (see `builtOnce`).
const linked = alias(userIdentities, 'linked');
const ACTING_BY_IDENTITY = builtOnce('user by identity', (q) =>
  q
    .select(ACTING_USER)
    .from(users)
    .innerJoin(
      linked,
      and(
        eq(linked.userId, users.id),
        eq(linked.platform, sql.placeholder('platform')),
        eq(linked.externalId, sql.placeholder('externalId')),
      ),
    )
    .limit(1),
);
const ACTING_BY_ID = builtOnce('user by id', (q) =>
  q
    .select(ACTING_USER)
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .limit(1),
);
const BY_IDS = builtOnce('users by ids', (q) =>
  q
    .select(USER)
    .from(users)
    .where(anyOf(users.id, sql.placeholder('ids'), 'integer')),
);

export function userRepository(q: Q): UserRepository {
  const actingByIdentity = ACTING_BY_IDENTITY.on(q);
  const actingById = ACTING_BY_ID.on(q);
  const byIds = BY_IDS.on(q);
  return {
    async findUser(key) {
      if ('identity' in key) {
        const [row] = await actingByIdentity(key.identity);
        return row && toUser(row);
      }
      if ('id' in key) {
        const [row] = await actingById({ id: key.id });
        return row && toUser(row);
      }
      const [row] = await q
        .select(ACTING_USER)
        .from(users)
        .where(sql`lower(${users.email}) = lower(${key.email})`)
        .limit(1);
      return row && toUser(row);
    },

    async findUsersByIds(ids) {
      if (ids.length === 0) return new Map();
      const rows = await byIds({ ids: idList(ids) });
      return new Map(rows.map((row) => [row.user.id, toUser(row)]));
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
        .select(USER)
        .from(roleGrants)
        .innerJoin(users, eq(users.id, roleGrants.userId))
        .where(and(eq(roleGrants.smartAccountId, smartAccountId), eq(roleGrants.role, 'admin')))
        .orderBy(users.email);
      return rows.map(toUser);
    },

    async usersWithGlobalRole(role) {
      const rows = await q
        .select(USER)
        .from(users)
        .where(sql`${role} = any(${users.globalRoles})`)
        .orderBy(users.id);
      return rows.map(toUser);
    },

    async linkIdentity(userId, platform, externalId) {
      // Either uniqueness rule (the id is someone else's; the user has one there already) leaves things as they are.
      const linked = await q
        .insert(userIdentities)
        .values({ platform, externalId, userId })
        .onConflictDoNothing()
        .returning({ userId: userIdentities.userId });
      return linked.length === 1;
    },

    async notePlatformLocale(userId, platform, { locale, timeZone }, at) {
      const noted = await q
        .update(userIdentities)
        .set({
          ...(locale !== undefined ? { locale } : {}),
          ...(timeZone !== undefined ? { timeZone } : {}),
          localeAt: at,
        })
        .where(
          and(
            eq(userIdentities.userId, userId),
            eq(userIdentities.platform, platform),
            or(isNull(userIdentities.localeAt), lte(userIdentities.localeAt, at)),
          ),
        )
        .returning({ userId: userIdentities.userId });
      return noted.length === 1;
    },

    async noteHeard(userId, platform, at) {
      const noted = await q
        .update(userIdentities)
        .set({ heardAt: at })
        .where(
          and(
            eq(userIdentities.userId, userId),
            eq(userIdentities.platform, platform),
            or(isNull(userIdentities.heardAt), lt(userIdentities.heardAt, at)),
          ),
        )
        .returning({ userId: userIdentities.userId });
      return noted.length === 1;
    },

    async setCurrentSmartAccount(userId, smartAccountId) {
      await q.update(users).set({ currentSmartAccountId: smartAccountId }).where(eq(users.id, userId));
    },

    async directory() {
      const people = await q.select(USER).from(users).orderBy(asc(users.id));
      const grants = await q
        .select({ userId: roleGrants.userId, role: roleGrants.role, domain: smartAccounts.domain })
        .from(roleGrants)
        .innerJoin(smartAccounts, eq(smartAccounts.id, roleGrants.smartAccountId))
        .orderBy(asc(smartAccounts.domain));
      const held = { admin: new Map<number, string[]>(), user: new Map<number, string[]>() };
      for (const grant of grants) {
        const byUser = held[grant.role];
        byUser.set(grant.userId, [...(byUser.get(grant.userId) ?? []), grant.domain]);
      }
      return people.map((person) => ({
        user: toUser(person),
        adminOf: held.admin.get(person.user.id) ?? [],
        userOf: held.user.get(person.user.id) ?? [],
      }));
    },

    async firstUser() {
      const [admin] = await q
        .select(USER)
        .from(users)
        .innerJoin(roleGrants, and(eq(roleGrants.userId, users.id), eq(roleGrants.role, 'admin')))
        .orderBy(asc(users.id))
        .limit(1);
      if (admin) return toUser(admin);
      const [anyone] = await q.select(USER).from(users).orderBy(asc(users.id)).limit(1);
      return anyone && toUser(anyone);
    },
  };
}
