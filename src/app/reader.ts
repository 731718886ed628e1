import { resolveLocale, type Reader } from '../i18n/index.js';
import { isValidTimeZone } from '../schedule/local-time.js';
import { platformLocaleOf } from './platform-locale.js';
import type { IdentityPlatform, UserRow } from './ports/users.js';

/** What a chat platform says of a person (or a channel): its language and time zone, when it knows them. */
export interface PlatformHints {
  /**
   * For a channel or someone the inventory does not know: the platform's language. For a person it
   * is their stored platform language (see `platformLocaleOf`), given only as what was just stored.
   */
  locale?: string | undefined;
  timeZone?: string | undefined;
  /** The platform the person reads on: its stored language leads. */
  on?: IdentityPlatform | undefined;
}

/**
 * Which zone a person's dates are shown and reminders timed in: the inventory's, else the platform's, else
 * the default (TZ_DEFAULT). A zone that is not one (a typo in the inventory) counts as none.
 */
export function timeZoneFor(
  inventoryZone: string | null | undefined,
  platformZone: string | null | undefined,
  defaultZone: string,
): string {
  if (isValidTimeZone(inventoryZone)) return inventoryZone.trim();
  if (isValidTimeZone(platformZone)) return platformZone.trim();
  return defaultZone;
}

/**
 * How one person reads what the bot shows them, on every surface, in every message the outbox draws and
 * in every export: the language their chat platform said and the database keeps (the one they read on,
 * else the newest), else the inventory's, else English; the zone as `timeZoneFor` says. Without a person
 * (a channel, someone the inventory does not know) only the platform and the defaults speak.
 */
export function readerFor(
  person: (Pick<UserRow, 'locale' | 'timeZone'> & Partial<Pick<UserRow, 'platformLocales'>>) | undefined,
  platform: PlatformHints,
  defaultTimeZone: string,
): Reader {
  return {
    locale: resolveLocale(platform.locale, person && platformLocaleOf(person, platform.on), person?.locale),
    timeZone: timeZoneFor(person?.timeZone, platform.timeZone, defaultTimeZone),
  };
}
