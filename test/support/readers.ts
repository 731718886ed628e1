import type { Reader } from '../../src/i18n/index.js';

/** A reader of each language the bot speaks, each on a clock of its own: what tests draw a text for. */
export const READERS = {
  en: { locale: 'en', timeZone: 'UTC' },
  fr: { locale: 'fr', timeZone: 'Europe/Paris' },
  ja: { locale: 'ja', timeZone: 'Asia/Tokyo' },
} satisfies Record<string, Reader>;
