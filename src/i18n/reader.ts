import type { Locale } from './locale.js';

/** Who reads a text: the language it is written in and the time zone its dates are shown in. */
export interface Reader {
  locale: Locale;
  timeZone: string;
}
