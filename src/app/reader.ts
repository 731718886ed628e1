import { resolveLocale, type Reader } from '../i18n/index.js';
import { isValidTimeZone } from '../schedule/local-time.js';

/** What a chat platform says of a person (or a channel): its language and time zone, when it knows them. */
export interface PlatformHints {
  locale?: string | undefined;
  timeZone?: string | undefined;
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
 * How one person reads what the bot shows them, on every surface and in every export: the platform's
 * language, else the inventory's, else English; the zone as `timeZoneFor` says. Without a person (a
 * channel, someone the inventory does not know) only the platform and the defaults speak.
 */
export function readerFor(
  person: { locale: string | null; timeZone: string | null } | undefined,
  platform: PlatformHints,
  defaultTimeZone: string,
): Reader {
  return {
    locale: resolveLocale(platform.locale, person?.locale),
    timeZone: timeZoneFor(person?.timeZone, platform.timeZone, defaultTimeZone),
  };
}
