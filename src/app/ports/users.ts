import type { GlobalRole } from '../../domain/types.js';

/**
 * The chat platforms a person can be linked on. A new surface is one more name here: identities live in
 * their own rows, so `users` does not change.
 */
export const IDENTITY_PLATFORMS = ['slack', 'teams'] as const;
export type IdentityPlatform = (typeof IDENTITY_PLATFORMS)[number];

/** A person's id on each platform they are linked on. */
export type Identities = Readonly<Partial<Record<IdentityPlatform, string>>>;

/**
 * What a platform said of a person there, and when it said so: their language (as the platform spells it)
 * and their time zone (Slack's; Teams says none). Either may be missing, never both.
 */
export interface PlatformLocale {
  locale?: string | undefined;
  timeZone?: string | undefined;
  at: Date;
}

export interface UserRow {
  id: number;
  email: string;
  name: string;
  locale: string | null;
  timeZone: string | null;
  legalEntityId: string | null;
  globalRoles: string[];
  currentSmartAccountId: number | null;
  identities: Identities;
  /**
   * What each platform they are linked on last said of their language and time zone (see
   * `src/app/platform-locale.ts`).
   */
  platformLocales: Readonly<Partial<Record<IdentityPlatform, PlatformLocale>>>;
  /**
   * When they last spoke to the bot on each platform, as stored (see `src/app/heard.ts`); none where
   * never heard, or where read without it.
   */
  heardAt?: Readonly<Partial<Record<IdentityPlatform, Date>>>;
  /**
   * The Smart Accounts they administer, where read with the user (`findUser` does, saving the actor a
   * read of its own; lists of users do not).
   */
  adminOf?: readonly number[];
}

export type UserKey =
  { id: number } | { email: string } | { identity: { platform: IdentityPlatform; externalId: string } };

/** A person as the console lists them: who they are and what they administer. */
export interface DirectoryEntry {
  user: UserRow;
  /** Domains of the Smart Accounts they administer. */
  adminOf: string[];
  /** Domains of the Smart Accounts where they are a Smart Account user (no admin role there). */
  userOf: string[];
}

export interface UserRepository {
  findUser(key: UserKey): Promise<UserRow | undefined>;
  findUsersByIds(ids: readonly number[]): Promise<Map<number, UserRow>>;
  /** Ids of the Smart Accounts this user administers, read now (roles are never cached). */
  administeredAccountIds(userId: number): Promise<number[]>;
  /** Admins of a Smart Account, by e-mail (a stable choice when one must be named). */
  adminsOf(smartAccountId: number): Promise<UserRow[]>;
  /** Everyone holding a global role, by id. */
  usersWithGlobalRole(role: GlobalRole): Promise<UserRow[]>;
  /**
   * Links a platform id to a user who has none there yet. False, changing nothing, when the user already
   * has one on that platform or the id belongs to someone else.
   */
  linkIdentity(userId: number, platform: IdentityPlatform, externalId: string): Promise<boolean>;
  /**
   * Stores the language and time zone a platform said the user has there, said at `at` (a field it did not
   * say is kept): compare-and-set, so an answer older than the one stored changes nothing (false), nor
   * does a user not linked on that platform.
   */
  notePlatformLocale(
    userId: number,
    platform: IdentityPlatform,
    said: Omit<PlatformLocale, 'at'>,
    at: Date,
  ): Promise<boolean>;
  /**
   * Stores that the user spoke to the bot on this platform at `at`: compare-and-set, so a time older than
   * the one stored changes nothing (false), nor does a user not linked on that platform.
   */
  noteHeard(userId: number, platform: IdentityPlatform, at: Date): Promise<boolean>;
  setCurrentSmartAccount(userId: number, smartAccountId: number): Promise<void>;
  /** Everyone, by id, with what they administer (the console's `users`). */
  directory(): Promise<DirectoryEntry[]>;
  /** The first administrator by id, else the first user: someone to act as by default. */
  firstUser(): Promise<UserRow | undefined>;
}

export function isIdentityPlatform(value: string): value is IdentityPlatform {
  return (IDENTITY_PLATFORMS as readonly string[]).includes(value);
}
