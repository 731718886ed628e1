import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from './locale.js';

/** One namespace file of one language: nested objects whose leaves are strings. */
export type Catalog = { [key: string]: string | Catalog };

/** Every namespace of every language, as found on disk. */
export type Catalogs = Record<Locale, Record<string, Catalog>>;

export const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));

/** The namespace a key without `namespace:` belongs to. */
export const DEFAULT_NAMESPACE = 'common';

// i18next picks `key_one`, `key_other`, … from `count`; these suffixes are plural forms of one key.
const PLURAL_SUFFIX = /_(?:ordinal_)?(?:zero|one|two|few|many|other)$/;

/**
 * The grammatical contexts a sentence may ask a nested text for, `$t(key, {"context": "feminine"})`:
 * i18next then reads `key_feminine`, else `key`. Only the languages whose grammar needs a form write it.
 */
export const GRAMMATICAL_CONTEXTS = ['masculine', 'feminine'] as const;
const CONTEXT_SUFFIX = new RegExp(`_(?:${GRAMMATICAL_CONTEXTS.join('|')})$`);

/**
 * Reads every `<dir>/<locale>/<namespace>.json` synchronously, so a namespace another module adds is
 * picked up without touching this code. A malformed file stops the start with its path: a bot that
 * silently shows keys instead of words is worse than one that does not start.
 */
export function loadCatalogs(dir: string = LOCALES_DIR): Catalogs {
  const catalogs = {} as Catalogs;
  for (const locale of LOCALES) {
    const namespaces: Record<string, Catalog> = {};
    const folder = join(dir, locale);
    const files = existsSync(folder)
      ? readdirSync(folder)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : [];
    for (const file of files) {
      const path = join(folder, file);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        throw new Error(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
      }
      if (!isCatalog(parsed)) throw new Error(`${path}: a catalog is a JSON object whose leaves are strings`);
      namespaces[basename(file, '.json')] = parsed;
    }
    catalogs[locale] = namespaces;
  }
  return catalogs;
}

function isCatalog(value: unknown): value is Catalog {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string' || isCatalog(v));
}

/**
 * The catalogs as i18next reads them: a plural form a language has and its catalog does not write reads
 * as the key's `_other`. French names a round million `many` (1 000 000 éléments); without this, i18next
 * would go on to English for it. The files write only the forms that differ.
 */
export function withEveryPluralForm(catalogs: Catalogs): Catalogs {
  const out = {} as Catalogs;
  for (const locale of LOCALES) {
    const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const complete = (catalog: Catalog): Catalog => {
      const copy: Catalog = {};
      for (const [key, value] of Object.entries(catalog))
        copy[key] = typeof value === 'string' ? value : complete(value);
      for (const [key, value] of Object.entries(catalog)) {
        if (typeof value !== 'string' || !key.endsWith('_other') || key.includes('_ordinal_')) continue;
        const base = key.slice(0, -'_other'.length);
        for (const form of forms) if (!(`${base}_${form}` in copy)) copy[`${base}_${form}`] = value;
      }
      return copy;
    };
    out[locale] = Object.fromEntries(
      Object.entries(catalogs[locale]).map(([namespace, catalog]) => [namespace, complete(catalog)]),
    );
  }
  return out;
}

/** Leaf paths (`label.submitted`) of one namespace with their text. */
export function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of flatten(value, path)) out.set(p, v);
  }
  return out;
}

/** `items_other` → `items`; any other key unchanged. */
export function pluralBase(path: string): string {
  return path.replace(PLURAL_SUFFIX, '');
}

/** The key a plural or grammatical form belongs to: `approved_feminine` → `approved`, `items_one` → `items`. */
export function formBase(path: string): string {
  return pluralBase(path).replace(CONTEXT_SUFFIX, '');
}

/** The `{{name}}` variables of a text, including `{{- name}}` and `{{name, format}}` forms. */
export function interpolationVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*-?\s*([^\s,}]+)[^}]*\}\}/g)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return names;
}

/** Splits `ns:path` into its namespace and path; a key without `ns:` belongs to the default namespace. */
export function splitKey(key: string): { namespace: string; path: string } {
  const at = key.indexOf(':');
  return at < 0
    ? { namespace: DEFAULT_NAMESPACE, path: key }
    : { namespace: key.slice(0, at), path: key.slice(at + 1) };
}

/**
 * Every key a language can answer, as `ns:path`, plural and grammatical forms folded into their base
 * key. Empty texts do not count: i18next is told to treat them as missing.
 */
export function keyIndex(namespaces: Record<string, Catalog>): Set<string> {
  const keys = new Set<string>();
  for (const [namespace, catalog] of Object.entries(namespaces)) {
    for (const [path, text] of flatten(catalog)) {
      if (text.trim() === '') continue;
      keys.add(`${namespace}:${path}`);
      keys.add(`${namespace}:${pluralBase(path)}`);
      keys.add(`${namespace}:${formBase(path)}`);
    }
  }
  return keys;
}
