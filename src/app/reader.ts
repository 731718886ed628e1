import { resolveLocale, type Reader } from '../i18n/index.js';
import { isValidTimeZone } from '../schedule/local-time.js';
import { platformLocaleOf, platformTimeZoneOf } from './platform-locale.js';
import type { IdentityPlatform, UserRow } from './ports/users.js';

/** What a chat platform says of a person (or a channel): its language and time zone, when it knows them. */
export interface PlatformHints {
  /**
   * For a channel or someone the inventory does not know: the platform's language and zone. For a person
   * they are what is stored for them (see `platformLocaleOf`, `platformTimeZoneOf`), given here only as
   * what was just stored or said with the very message answered.
   */
  locale?: string | undefined;
  timeZone?: string | undefined;
  /** The platform the person reads on: what is stored for it leads. */
  on?: IdentityPlatform | undefined;
}

/**
 * Which zone a person's dates are shown and reminders timed in: the inventory's, else the platform's, else
 * the default (TZ_DEFAULT). A zone that is not one (a typo in the inventory) counts as none. The inventory's
 * leads, unlike its language: it is what the person's reminders are timed by (the sweep asks no
 * platform), so the dates they read and the hours they are reminded at keep to one clock.
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
 * else the newest), else the inventory's, else English; the zone as `timeZoneFor` says, the platform's
 * being the one the database keeps by the same rule. Without a person (a channel, someone the inventory
 * does not know) only the platform and the defaults speak.
 */
export function readerFor(
  person: (Pick<UserRow, 'locale' | 'timeZone'> & Partial<Pick<UserRow, 'platformLocales'>>) | undefined,
  platform: PlatformHints,
  defaultTimeZone: string,
): Reader {
  const platformZone = isValidTimeZone(platform.timeZone)
    ? platform.timeZone
    : person && platformTimeZoneOf(person, platform.on);
  return {
    locale: resolveLocale(platform.locale, person && platformLocaleOf(person, platform.on), person?.locale),
    timeZone: timeZoneFor(person?.timeZone, platformZone, defaultTimeZone),
  };
}
