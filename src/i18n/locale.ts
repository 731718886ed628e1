/** The languages the bot speaks. Adding one means adding its folder under `locales/`. */
export const LOCALES = ['en', 'fr', 'ja'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

// 'jp' is not a language tag, but it is what people type into inventory files for Japanese.
const ALIASES: Readonly<Record<string, Locale>> = { en: 'en', fr: 'fr', ja: 'ja', jp: 'ja' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps one tag from Slack ('fr-FR'), Teams ('ja-jp'), the inventory ('FR') … to a locale, if we speak it. */
export function toLocale(candidate: string | null | undefined): Locale | undefined {
  if (typeof candidate !== 'string') return undefined;
  const primary = candidate
    .trim()
    .toLowerCase()
    .split(/[-_.@]/)[0];
  return primary === undefined ? undefined : ALIASES[primary];
}

/**
 * The first candidate that maps to a locale we speak, else English. Callers pass the sources in order of
 * preference (the chat platform's locale, then the inventory).
 */
export function resolveLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const locale = toLocale(candidate);
    if (locale !== undefined) return locale;
  }
  return DEFAULT_LOCALE;
}
