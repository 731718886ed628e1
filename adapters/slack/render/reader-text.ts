import { formatDateTime, translate, type CatalogKey, type Reader } from '../../../src/i18n/index.js';

/** A catalog text in the reader's language. */
export const t = (reader: Reader, key: CatalogKey, params?: Record<string, string | number>) =>
  translate(reader.locale, key, params);

/** A moment as the reader writes it, in their time zone; "Not yet" when there is none. */
export const when = (reader: Reader, at: Date | null): string =>
  at ? formatDateTime(at, reader.locale, reader.timeZone) : t(reader, 'common:value.notYet');
