import { isValidTimeZone } from '../schedule/local-time.js';
import type { AppDeps } from './deps.js';
import type { IdentityPlatform, PlatformLocale, UserRow } from './ports/users.js';

/**
 * How long what a platform said of a person (their language, their time zone) is taken as theirs without
 * asking again: a week. Teams says the language with every activity (stored when it changes); Slack is
 * asked both (users.info) before the first message the bot sends someone or the first request it answers
 * them, and again once what is stored is older than this.
 */
export const PLATFORM_LOCALE_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/** The longest time zone name taken from a platform ('America/Argentina/ComodRivadavia' is 32). */
const ZONE_MAX_LENGTH = 64;

/**
 * What a platform says of a person: their language and time zone, as it spells them, said at `at` (a
 * cached answer's time), else with the very message being answered.
 */
export interface PlatformSaid {
  locale?: string | undefined;
  timeZone?: string | undefined;
  at?: Date | undefined;
}

/**
 * What a platform said of the person that speaks for them: the one stored for the platform they are reached
 * on, else the newest any platform said (an export, the console), else none.
 */
function storedFor(
  person: Partial<Pick<UserRow, 'platformLocales'>>,
  on: IdentityPlatform | undefined,
  what: 'locale' | 'timeZone',
): string | undefined {
  const said = person.platformLocales ?? {};
  const own = on === undefined ? undefined : said[on]?.[what];
  if (own) return own;
  let newest: PlatformLocale | undefined;
  for (const one of Object.values(said)) if (one?.[what] && (!newest || one.at > newest.at)) newest = one;
  return newest?.[what];
}

/** The platform language that speaks for a person (see `storedFor`); none: the inventory's. */
export function platformLocaleOf(
  person: Partial<Pick<UserRow, 'platformLocales'>>,
  on?: IdentityPlatform,
): string | undefined {
  return storedFor(person, on, 'locale');
}

/** The platform time zone that speaks for a person where the inventory gives none (see `storedFor`). */
export function platformTimeZoneOf(
  person: Partial<Pick<UserRow, 'platformLocales'>>,
  on?: IdentityPlatform,
): string | undefined {
  return storedFor(person, on, 'timeZone');
}

/**
 * Whether the platform is to be asked what it says of the person: their language or zone not stored for
 * it, or stored too long ago. Only a platform that is asked (Slack) asks this: Teams says the language
 * with every activity and no zone.
 */
export function platformLocaleDue(user: UserRow, platform: IdentityPlatform, now: Date): boolean {
  const stored = user.platformLocales[platform];
  return (
    !stored?.locale || !stored.timeZone || now.getTime() - stored.at.getTime() >= PLATFORM_LOCALE_KEPT_MS
  );
}

/** What of an answer can be stored: a language, and a zone that is one (a typo is none). */
function storable(said: PlatformSaid): Omit<PlatformLocale, 'at'> {
  const locale = said.locale?.trim() || undefined;
  const zone = said.timeZone?.trim();
  const timeZone = zone && zone.length <= ZONE_MAX_LENGTH && isValidTimeZone(zone) ? zone : undefined;
  return { locale, timeZone };
}

/**
 * Stores what a platform said, at `saidAt`, of the person's language and zone there (a field it did not
 * say is kept), and returns the person as now known. Written when nothing is stored, or when it is newer
 * than what is and either differs from it or renews it (past PLATFORM_LOCALE_KEPT_MS); an answer older
 * than the stored one (a process's cache) is not taken, and one of the same time that differs is (the
 * later word of two said at once). Should another instance have stored a newer one meanwhile, that one is
 * read back.
 */
export async function notePlatformLocale(
  deps: Pick<AppDeps, 'store'>,
  user: UserRow,
  platform: IdentityPlatform,
  said: PlatformSaid,
  saidAt: Date,
): Promise<UserRow> {
  const { locale, timeZone } = storable(said);
  if (!locale && !timeZone) return user;
  const stored = user.platformLocales[platform];
  const next: PlatformLocale = {
    ...stored,
    ...(locale ? { locale } : {}),
    ...(timeZone ? { timeZone } : {}),
    at: saidAt,
  };
  if (stored) {
    const same = stored.locale === next.locale && stored.timeZone === next.timeZone;
    if (saidAt < stored.at || (saidAt.getTime() === stored.at.getTime() && same)) return user;
    if (same && saidAt.getTime() - stored.at.getTime() < PLATFORM_LOCALE_KEPT_MS) return user;
  }
  if (await deps.store.users.notePlatformLocale(user.id, platform, { locale, timeZone }, saidAt))
    return { ...user, platformLocales: { ...user.platformLocales, [platform]: next } };
  return (await deps.store.users.findUser({ id: user.id })) ?? user;
}

/**
 * The person as known after hearing the platform: what it has said and is at hand (a cached answer) is
 * stored as `notePlatformLocale` says; with nothing at hand, the platform is asked (`ask`) only when what
 * is stored is missing or a week old (`platformLocaleDue`), so one person reads one language and one zone
 * on every instance and after a restart without the platform being asked each time.
 */
export async function hearPlatform(
  deps: Pick<AppDeps, 'store' | 'now'>,
  user: UserRow,
  platform: IdentityPlatform,
  atHand: PlatformSaid | undefined,
  ask?: () => Promise<PlatformSaid | undefined>,
): Promise<UserRow> {
  const now = deps.now();
  const said = atHand ?? (ask && platformLocaleDue(user, platform, now) ? await ask() : undefined);
  return said ? notePlatformLocale(deps, user, platform, said, said.at ?? now) : user;
}
