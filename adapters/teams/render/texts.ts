import type { Status } from '../../../src/domain/status.js';
import {
  formatDateTime,
  statusLabel,
  translate,
  tr,
  type CatalogKey,
  type Msg,
  type Reader,
} from '../../../src/i18n/index.js';

/** Translation bound to one reader, so renderers read like the sentences they draw. */
export interface Texts {
  readonly reader: Reader;
  t(key: CatalogKey, params?: Record<string, string | number>): string;
  msg(message: Msg): string;
  status(status: Status): string;
  date(date: Date | null | undefined): string;
}

export function textsFor(reader: Reader): Texts {
  return {
    reader,
    t: (key, params) => translate(reader.locale, key, params, reader.timeZone),
    msg: (message) => tr(reader, message),
    status: (status) => statusLabel(reader.locale, status),
    date: (date) =>
      date
        ? formatDateTime(date, reader.locale, reader.timeZone)
        : translate(reader.locale, 'common:value.notYet'),
  };
}
