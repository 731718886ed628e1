import {
  formatDateTime,
  statusLabel,
  translate,
  tr,
  type Locale,
  type Msg,
} from '../../../src/i18n/index.js';
import type { Status } from '../../../src/domain/status.js';

/** The reader a card is drawn for: their language and time zone. */
export interface Reader {
  locale: Locale;
  timeZone: string;
}

/** Translation bound to one reader, so renderers read like the sentences they draw. */
export interface Texts {
  readonly locale: Locale;
  readonly timeZone: string;
  t(key: string, params?: Record<string, string | number>): string;
  msg(m: Msg): string;
  status(s: Status): string;
  date(d: Date | null | undefined): string;
}

export function textsFor(reader: Reader): Texts {
  return {
    locale: reader.locale,
    timeZone: reader.timeZone,
    t: (key, params) => translate(reader.locale, key, params),
    msg: (m) => tr(reader.locale, m),
    status: (s) => statusLabel(reader.locale, s),
    date: (d) =>
      d ? formatDateTime(d, reader.locale, reader.timeZone) : translate(reader.locale, 'common:value.notYet'),
  };
}
