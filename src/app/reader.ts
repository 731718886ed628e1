import { resolveLocale, type Reader } from '../i18n/index.js';
import { isValidTimeZone } from '../schedule/local-time.js';
import { lastHeardOn } from './heard.js';
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
 * leads, unlike its language: a zone someone set for a person in the inventory is kept over what their
 * chat platform says, for the dates they read and the hours they are reminded at alike.
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

/** What of a person says which zone is theirs: the inventory's, and what each platform said and when. */
export type ZonedPerson = Pick<UserRow, 'timeZone'> & Partial<Pick<UserRow, 'platformLocales' | 'heardAt'>>;

/**
 * A person's zone as `timeZoneFor` says, the platform's being the one stored for them (see
 * `platformTimeZoneOf`): the one stored for the platform they read on (`on`), else the newest any said.
 */
export function personTimeZone(
  person: ZonedPerson,
  on: IdentityPlatform | undefined,
  defaultZone: string,
): string {
  return timeZoneFor(person.timeZone, platformTimeZoneOf(person, on), defaultZone);
}

/**
 * The zone a person's reminders are timed in, read as the reminder will be (see `readerFor`): on the
 * platform a message reaches them on first, the one they last spoke to the bot on (see `reachOrder`). So
 * a person the inventory gives no zone, whose Slack says Tokyo, is reminded at 09:00 in Tokyo, the clock
 * their dates are shown on, rather than at 09:00 of TZ_DEFAULT. Nobody: the default.
 */
export function reminderTimeZone(person: ZonedPerson | undefined, defaultZone: string): string {
  return person ? personTimeZone(person, lastHeardOn(person), defaultZone) : defaultZone;
}

/**
 * How one person reads what the bot shows them, on every surface, in every message the outbox draws and
 * in every export: the language their chat platform said and the database keeps (the one they read on,
 * else the newest), else the inventory's, else English; the zone as `timeZoneFor` says, the platform's
 * being the one the database keeps by the same rule. Without a person (a channel, someone the inventory
 * does not know) only the platform and the defaults speak.
 */
export function readerFor(
  person: (Pick<UserRow, 'locale'> & ZonedPerson) | undefined,
  platform: PlatformHints,
  defaultTimeZone: string,
): Reader {
  // A zone the platform said with the very message answered (or just stored) stands for the stored one.
  const timeZone =
    person && !isValidTimeZone(platform.timeZone)
      ? personTimeZone(person, platform.on, defaultTimeZone)
      : timeZoneFor(person?.timeZone, platform.timeZone, defaultTimeZone);
  return {
    locale: resolveLocale(platform.locale, person && platformLocaleOf(person, platform.on), person?.locale),
    timeZone,
  };
}
