import type { AppDeps } from './deps.js';
import type { IdentityPlatform, PlatformLocale, UserRow } from './ports/users.js';

/**
 * How long a language a platform said is taken as the person's without asking again: a week. Teams says
 * it with every activity (stored when it changes); Slack is asked (users.info) before the first message
 * the bot sends someone, and again once what is stored is older than this.
 */
export const PLATFORM_LOCALE_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The platform language that speaks for a person: the one stored for the platform they are reached on,
 * else the newest any platform said (an export, the console), else none (then the inventory's).
 */
export function platformLocaleOf(
  person: Partial<Pick<UserRow, 'platformLocales'>>,
  on?: IdentityPlatform,
): string | undefined {
  const said = person.platformLocales ?? {};
  const own = on === undefined ? undefined : said[on];
  if (own) return own.locale;
  let newest: PlatformLocale | undefined;
  for (const one of Object.values(said)) if (one && (!newest || one.at > newest.at)) newest = one;
  return newest?.locale;
}

/** Whether the platform is to be asked the person's language: nothing stored for it, or stored too long ago. */
export function platformLocaleDue(user: UserRow, platform: IdentityPlatform, now: Date): boolean {
  const stored = user.platformLocales[platform];
  return !stored || now.getTime() - stored.at.getTime() >= PLATFORM_LOCALE_KEPT_MS;
}

/**
 * Stores what a platform said, at `saidAt`, of the person's language there, and returns the person as now
 * known. Written when nothing is stored, or when it is newer than what is and either differs from it or
 * renews it (past PLATFORM_LOCALE_KEPT_MS); an answer older than the stored one (a process's cache) is
 * not taken, and one of the same time that differs is (the later word of two said at once). Should
 * another instance have stored a newer one meanwhile, that one is read back.
 */
export async function notePlatformLocale(
  deps: Pick<AppDeps, 'store'>,
  user: UserRow,
  platform: IdentityPlatform,
  locale: string | undefined,
  saidAt: Date,
): Promise<UserRow> {
  const spoken = locale?.trim();
  if (!spoken) return user;
  const stored = user.platformLocales[platform];
  if (stored) {
    if (saidAt < stored.at || (saidAt.getTime() === stored.at.getTime() && stored.locale === spoken))
      return user;
    if (stored.locale === spoken && saidAt.getTime() - stored.at.getTime() < PLATFORM_LOCALE_KEPT_MS)
      return user;
  }
  if (await deps.store.users.notePlatformLocale(user.id, platform, spoken, saidAt))
    return {
      ...user,
      platformLocales: { ...user.platformLocales, [platform]: { locale: spoken, at: saidAt } },
    };
  return (await deps.store.users.findUser({ id: user.id })) ?? user;
}
