import type { Surface } from '../domain/types.js';
import { translate, type Locale } from '../i18n/index.js';

/** The actor recorded for the bot's own steps (validation, transfer, reminders, expiry): no person did them. */
export const SYSTEM_ACTOR = 'system';

const SURFACES: readonly Surface[] = ['slack', 'teams', 'console', 'cli', 'system'];

/**
 * Who did a history entry, as a reader sees it: a person as recorded (their address), the bot's own
 * steps named in the reader's language rather than as the word stored in the database.
 */
export function actorText(locale: Locale, actor: string): string {
  return actor === SYSTEM_ACTOR ? translate(locale, 'common:actor.system') : actor;
}

/** Where a history entry was done, in the reader's language; a surface added later shows as recorded. */
export function surfaceText(locale: Locale, surface: string): string {
  return (SURFACES as readonly string[]).includes(surface)
    ? translate(locale, `common:surface.${surface as Surface}`)
    : surface;
}
