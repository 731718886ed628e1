import { createInstance, type i18n } from 'i18next';
import { isStatus, type Status } from '../domain/status.js';
import {
  DEFAULT_NAMESPACE,
  keyIndex,
  loadCatalogs,
  LOCALES_DIR,
  splitKey,
  type Catalogs,
  withEveryPluralForm,
} from './catalog.js';
import { durationParts, formatDateTime, formatList, formatNumber, NO_DATE } from './format.js';
import { LIST_SEPARATOR } from '../domain/msg.js';
import type { CatalogKey } from './keys.js';
import { DEFAULT_LOCALE, LOCALES, toLocale, type Locale } from './locale.js';
import type { Msg } from './msg.js';
import type { Reader } from './reader.js';

export { DEFAULT_LOCALE, LOCALES, isLocale, resolveLocale, toLocale, type Locale } from './locale.js';
export { formatDate, formatDateTime, formatNumber, formatQuantity, NO_DATE } from './format.js';
export { keyParam, listParam, msg, type MessageKey, type Msg } from './msg.js';
export type { Reader } from './reader.js';
export type { CatalogKey } from './keys.js';

export type MsgParams = NonNullable<Msg['params']>;

interface Loaded {
  instance: i18n;
  catalogs: Catalogs;
  keys: Record<Locale, Set<string>>;
  /**
   * Texts without params, by language and key, as i18next gave them the first time: a card draws dozens
   * (labels, buttons, statuses), the same for every card. At most one per key of the catalogs per language.
   */
  plain: Map<string, string>;
}

let loaded: Loaded | undefined;

/**
 * Loads every catalog and builds the i18next instance. Called lazily by the first translation; the
 * application calls it at start so a broken catalog stops the process there, not in a user's face.
 * Tests may point it at another folder.
 */
export function initI18n(dir: string = LOCALES_DIR): void {
  const catalogs = loadCatalogs(dir);
  const namespaces = [...new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])))];
  const instance = createInstance();
  // With the resources inline and initAsync off, init() finishes before it returns: no backend, no await.
  void instance.init({
    resources: withEveryPluralForm(catalogs),
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    ns: namespaces,
    defaultNS: DEFAULT_NAMESPACE,
    initAsync: false,
    returnNull: false,
    returnEmptyString: false,
    // Each renderer escapes for its own platform (Block Kit mrkdwn, Adaptive Cards, a terminal).
    interpolation: { escapeValue: false },
    // A value the caller forgot stays visible as {{name}} rather than vanishing from the sentence.
    missingInterpolationHandler: (_text: string, value: unknown) =>
      Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '',
  });
  // `{{at, when}}`: an instant carried as ISO 8601 text, shown in the reader's language and time zone.
  instance.services.formatter?.add('when', (value: unknown, lng: string | undefined, options: unknown) => {
    const zone = (options as { timeZone?: unknown } | undefined)?.timeZone;
    const text = typeof value === 'string' || typeof value === 'number' ? value : String(value);
    return formatDateTime(text, toLocale(lng) ?? DEFAULT_LOCALE, typeof zone === 'string' ? zone : null);
  });
  // `{{count, number}}`: a quantity written as the reader's language writes it (12,345 · 12 345 · 12,345).
  // Anything that is not a number is shown as it is, where i18next's own would show NaN.
  instance.services.formatter?.add('number', (value: unknown, lng: string | undefined) =>
    typeof value === 'number' ? formatNumber(value, toLocale(lng) ?? DEFAULT_LOCALE) : String(value),
  );
  // `{{left, duration}}`: a duration given in milliseconds, told in the unit that fits (see formatDuration).
  instance.services.formatter?.add('duration', (value: unknown, lng: string | undefined) =>
    formatDuration(toLocale(lng) ?? DEFAULT_LOCALE, Number(value)),
  );
  // `{{names, list}}`: items given with `listParam`, joined as the reader's language joins a list;
  // `{{names, list(honorific:さん)}}` puts the honorific after each name, a space before it (「A さん」).
  instance.services.formatter?.add('list', (value: unknown, lng: string | undefined, options: unknown) => {
    const honorific = (options as { honorific?: unknown } | undefined)?.honorific;
    return formatList(
      String(value).split(LIST_SEPARATOR),
      toLocale(lng) ?? DEFAULT_LOCALE,
      typeof honorific === 'string' && honorific ? ` ${honorific}` : '',
    );
  });
  // `{{allowed, statuses}}`: status keys, each named by its label in the reader's language and its key,
  // so a list of what may be typed reads in the reader's words and still shows the stable key.
  instance.services.formatter?.add('statuses', (value: unknown, lng: string | undefined) => {
    const locale = toLocale(lng) ?? DEFAULT_LOCALE;
    return String(value)
      .split(',')
      .map((word) => word.trim())
      .map((word) => (isStatus(word) ? translate(locale, 'status:choice.item', { key: word }) : word))
      .join(translate(locale, 'status:choice.separator'));
  });
  // `{{account, account}}`: a Smart Account named as `accountLabel` names it, the value its domain and the
  // value named like it with `Name` after (`accountName`) its name. Core messages carry both, as they are
  // written before anyone knows the language they will be read in.
  instance.services.formatter?.add('account', (value: unknown, lng: string | undefined, options: unknown) => {
    const key = (options as { interpolationkey?: unknown } | undefined)?.interpolationkey;
    const name = typeof key === 'string' ? (options as Record<string, unknown>)[`${key}Name`] : undefined;
    return accountLabel(toLocale(lng) ?? DEFAULT_LOCALE, {
      name: typeof name === 'string' ? name : '',
      domain: String(value),
    });
  });
  const keys = {} as Record<Locale, Set<string>>;
  for (const locale of LOCALES) keys[locale] = keyIndex(catalogs[locale]);
  loaded = { instance, catalogs, keys, plain: new Map() };
}

function state(): Loaded {
  if (loaded === undefined) initI18n();
  return loaded as Loaded;
}

/** The catalogs as loaded (for checks and tooling; do not mutate). */
export function loadedCatalogs(): Catalogs {
  return state().catalogs;
}

/** Whether this language itself has a text for the key (no fallback to English). */
export function hasKey(locale: Locale, key: string): boolean {
  // A locale that slipped past the type (a raw string from a payload) has no keys rather than a crash.
  const keys = state().keys[locale] as Set<string> | undefined;
  const { namespace, path } = splitKey(key);
  return keys?.has(`${namespace}:${path}`) ?? false;
}

/**
 * The text of `namespace:key.path` in the locale, `{{name}}` filled from params. A key this language
 * lacks falls back to English; a key no language has comes back as the key itself, so it shows up in
 * tests and screenshots instead of as a blank. Never throws.
 */
export function translate(locale: Locale, key: CatalogKey, params?: MsgParams, timeZone?: string): string {
  try {
    const { instance, plain } = state();
    const bare = params === undefined || Object.keys(params).length === 0;
    const known = bare ? plain.get(`${locale}\u0000${key}`) : undefined;
    if (known !== undefined) return known;
    const lng = hasKey(locale, key) ? locale : hasKey(DEFAULT_LOCALE, key) ? DEFAULT_LOCALE : undefined;
    if (lng === undefined) return key;
    // Params go under `replace` so a param named like an i18next option (ns, lng, context) stays a param;
    // only `count` is lifted out, because it selects the plural form.
    // A text made plural after messages naming it were queued (their params hold no count) reads in
    // its singular form rather than as its key.
    const count = params?.['count'] ?? (bare || instance.exists(key, { lng }) ? undefined : 1);
    const { values, hidden } = hideNesting(params);
    const text: unknown = instance.t(key, {
      lng,
      // i18next hands `replace` (not the whole options) to nested `$t(…)` texts, so the language travels
      // inside it too; otherwise a nested status label would come back in English.
      // The time zone travels the same way, for the instants a text formats with `{{name, when}}`.
      replace: { ...values, lng, ...(timeZone === undefined ? {} : { timeZone }) },
      ...(typeof count === 'number' ? { count } : {}),
    });
    if (typeof text !== 'string') return key;
    if (bare) plain.set(`${locale}\u0000${key}`, text);
    return hidden.length === 0 ? text : text.replace(HIDDEN, (_, i: string) => hidden[Number(i)] ?? '');
  } catch {
    return key;
  }
}

// A value stands in the text as `\uE000<n>\uE001` (private-use characters) while i18next works on it.
const HIDDEN = /\uE000(\d+)\uE001/g;

/**
 * Values that hold `$t(`, as a reason someone typed may, are put back only once the text is done: i18next
 * turns the text's own nesting off when a value brings one in, and the role or status the text names
 * would come out as `$t(common:roleNoun.transferee)`.
 */
function hideNesting(params: MsgParams | undefined): { values: MsgParams; hidden: string[] } {
  const hidden: string[] = [];
  if (params === undefined) return { values: {}, hidden };
  const values: MsgParams = {};
  for (const [name, value] of Object.entries(params)) {
    // A value holding the stand-in's own character is hidden too, so no value is taken for another.
    if (typeof value === 'string' && (value.includes('$t(') || value.includes('\uE000'))) {
      values[name] = `\uE000${hidden.length}\uE001`;
      hidden.push(value);
    } else values[name] = value;
  }
  return { values, hidden };
}

/** A core message in the reader's language (and time zone, given a reader; UTC otherwise). */
export function tr(reader: Locale | Reader, message: Msg): string {
  if (typeof reader === 'string') return translate(reader, message.key, message.params);
  return translate(reader.locale, message.key, message.params, reader.timeZone);
}

/**
 * A label and its value with the language's own colon: “Source: acme.com”, “Source : acme.com” (a
 * no-break space before the colon), “転送元：acme.com”. Surfaces that print a label next to a value
 * use this rather than gluing `: ` themselves.
 */
export function labelled(locale: Locale, label: string, value: string): string {
  return translate(locale, 'common:format.labelled', { label, value });
}

/**
 * A label and the person it is about, in the language's own brackets: “Transferee (Bob Peeters)”,
 * “譲受人（転送先）（鈴木 葵）” (full-width, no space).
 */
export function aboutPerson(locale: Locale, label: string, name: string): string {
  return translate(locale, 'common:format.aboutPerson', { label, name });
}

/**
 * A Smart Account as people name it, in the language's own brackets: “Lumière Lyon (fr-a.example)”,
 * “ルミエール東京（jp.example）” (full-width, no space); its domain alone when it has no name. A Virtual Account
 * follows after a slash: “Lumière Lyon (fr-a.example) / Lab”. Each surface escapes the parts or the whole
 * for its own medium.
 */
export function accountLabel(
  locale: Locale,
  account: { name: string; domain: string },
  virtualAccount?: string | null,
): string {
  const label = account.name
    ? translate(locale, 'common:format.account', { name: account.name, domain: account.domain })
    : account.domain;
  return virtualAccount ? `${label} / ${virtualAccount}` : label;
}

/**
 * A person with their e-mail address, in the language's own brackets: “Bob Peeters (bob@be.example)”,
 * “鈴木 葵（aoi@jp.example）”; the name alone without an address.
 */
/**
 * A person as a record reads them, name then address: `Name <email>`, in Japanese `Name（email）`; the name
 * alone without an address.
 */
export function personAddress(locale: Locale, person: { name: string; email: string | null }): string {
  return person.email
    ? translate(locale, 'common:format.personAddress', { name: person.name, email: person.email })
    : person.name;
}

/** Stand-ins for the name and the address while the language places them (characters no name holds). */
const NAME_MARK = '\u0001';
const EMAIL_MARK = '\u0002';

/**
 * `personAddress` drawn in pieces: the language's brackets and spacing as `text` draws them, the name and
 * the address as `name` and `email` do (Slack escapes the brackets and links the address). The same rule
 * on every surface: `Name <email>`, in Japanese `Name（email）`.
 */
export function personAddressDrawn(
  locale: Locale,
  person: { name: string; email: string },
  draw: { text: (text: string) => string; name: (name: string) => string; email: (email: string) => string },
): string {
  const template = translate(locale, 'common:format.personAddress', { name: NAME_MARK, email: EMAIL_MARK });
  return template
    .split(NAME_MARK)
    .map((aroundName) => aroundName.split(EMAIL_MARK).map(draw.text).join(draw.email(person.email)))
    .join(draw.name(person.name));
}

export function personLabel(locale: Locale, person: { name: string; email: string }): string {
  return person.email
    ? translate(locale, 'common:format.person', { name: person.name, email: person.email })
    : person.name;
}

/**
 * When a transfer completed, as every surface shows it: its date; "Not yet" while one may still come;
 * none (—) for a transfer that ended without moving, so nobody reads it as still open.
 */
export function completionDateText(
  reader: Reader,
  transfer: { completedAt: Date | null; completionPending: boolean },
): string {
  if (transfer.completedAt) return formatDateTime(transfer.completedAt, reader.locale, reader.timeZone);
  return transfer.completionPending ? translate(reader.locale, 'common:value.notYet') : NO_DATE;
}

/**
 * A duration in milliseconds as the reader's language says it, in the largest unit that fits and
 * rounded down: "2 days", « 3 heures », 「5分」, "less than a minute". Every reminder tells time left and
 * age with it, so none rounds its own way.
 */
export function formatDuration(locale: Locale, ms: number): string {
  const { unit, count } = durationParts(ms);
  return unit === 'underMinute'
    ? translate(locale, 'common:duration.underMinute')
    : translate(locale, `common:duration.${unit}`, { count });
}

/** A label that heads the lines below it: “Items:”, “Éléments :”, “アイテム：”. */
export function heading(locale: Locale, label: string): string {
  return translate(locale, 'common:format.heading', { label });
}

/** The label of a status as SPEC §3 names it, in the reader's language. */
export function statusLabel(locale: Locale, status: Status): string {
  return translate(locale, `status:label.${status}`);
}

/** One sentence saying what a status means for the people waiting on it. */
export function statusDescription(locale: Locale, status: Status): string {
  return translate(locale, `status:description.${status}`);
}
