import type { Status } from '../../../src/domain/status.js';
import { flatten } from '../../../src/i18n/catalog.js';
import {
  formatDateTime,
  loadedCatalogs,
  statusLabel,
  translate,
  tr,
  type CatalogKey,
  type Msg,
  type Reader,
} from '../../../src/i18n/index.js';
import { brief } from './card.js';

/** Translation bound to one reader, so renderers read like the sentences they draw. */
export interface Texts {
  readonly reader: Reader;
  /** A catalog text; its params go in as given (a renderer escapes what people typed before). */
  t(key: CatalogKey, params?: Record<string, string | number>): string;
  /** A core message as plain text (a text message, not a card): its values as they are. */
  msg(message: Msg): string;
  /**
   * A core message on a card: every value it carries (a name, a reason someone typed) is shown as
   * written, never as markdown, and cut when long; the catalog's own markdown stays.
   */
  cardMsg(message: Msg): string;
  status(status: Status): string;
  date(date: Date | null | undefined): string;
}

export function textsFor(reader: Reader): Texts {
  return {
    reader,
    t: (key, params) => translate(reader.locale, key, params, reader.timeZone),
    msg: (message) => tr(reader, message),
    cardMsg: (message) => tr(reader, onCard(message)),
    status: (status) => statusLabel(reader.locale, status),
    date: (date) =>
      date
        ? formatDateTime(date, reader.locale, reader.timeZone)
        : translate(reader.locale, 'common:value.notYet'),
  };
}

let keyParams: Set<string> | undefined;

/**
 * Params that some text nests as (part of) a catalog key, `$t(status:label.{{status}})`: they carry a
 * status, a role or a key the code chose, never text someone typed, and escaping them would lose the text
 * they name (`pending_consent`).
 */
function nestedKeyParams(): Set<string> {
  if (keyParams) return keyParams;
  const names = new Set<string>();
  for (const namespaces of Object.values(loadedCatalogs()))
    for (const catalog of Object.values(namespaces))
      for (const text of flatten(catalog).values())
        for (const nested of text.matchAll(/\$t\(([^)]*)\)/g))
          for (const param of (nested[1] ?? '').matchAll(/\{\{\s*-?\s*([^\s,}]+)/g))
            if (param[1] !== undefined) names.add(param[1]);
  keyParams = names;
  return names;
}

function onCard(message: Msg): Msg {
  if (!message.params) return message;
  const keys = nestedKeyParams();
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params))
    params[name] = typeof value === 'string' && !keys.has(name) ? brief(value) : value;
  return { key: message.key, params };
}
