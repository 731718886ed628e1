/**
 * The message keys the English catalogs define, as a type: every `msg(…)`, `translate(…)` and label key
 * is checked by the compiler against the catalog files themselves, so a typo or a key nobody wrote fails
 * `npm run typecheck` rather than showing up as a raw key in someone's chat. A key built from a value
 * (`status:label.${status}`) is checked for each value the value's type allows.
 */

import type commonCatalog from './locales/en/common.json';
import type consoleCatalog from './locales/en/console.json';
import type coreCatalog from './locales/en/core.json';
import type deliveryCatalog from './locales/en/delivery.json';
import type eligibilityCatalog from './locales/en/eligibility.json';
import type exportCatalog from './locales/en/export.json';
import type grammarCatalog from './locales/en/grammar.json';
import type inputCatalog from './locales/en/input.json';
import type remindersCatalog from './locales/en/reminders.json';
import type slackCatalog from './locales/en/slack.json';
import type statusCatalog from './locales/en/status.json';
import type teamsCatalog from './locales/en/teams.json';

type Namespaces = {
  common: typeof commonCatalog;
  console: typeof consoleCatalog;
  core: typeof coreCatalog;
  delivery: typeof deliveryCatalog;
  eligibility: typeof eligibilityCatalog;
  export: typeof exportCatalog;
  grammar: typeof grammarCatalog;
  input: typeof inputCatalog;
  reminders: typeof remindersCatalog;
  slack: typeof slackCatalog;
  status: typeof statusCatalog;
  teams: typeof teamsCatalog;
};

/** `a.b.c` for every string leaf of a catalog object. */
type LeafPaths<Catalog, Prefix extends string = ''> = {
  [Name in keyof Catalog & string]: Catalog[Name] extends string
    ? `${Prefix}${Name}`
    : LeafPaths<Catalog[Name], `${Prefix}${Name}.`>;
}[keyof Catalog & string];

/** The endings of a plural form (`items_one`) or a grammatical one (`approved_feminine`). */
type FormSuffix = 'one' | 'other' | 'zero' | 'two' | 'few' | 'many' | 'masculine' | 'feminine';

/** A plural or grammatical form answers to its base key too. */
type BaseForm<Path extends string> = Path extends `${infer Base}_${FormSuffix}` ? Base : Path;

type KeysOf<Namespace extends keyof Namespaces> =
  LeafPaths<Namespaces[Namespace]> extends infer Path extends string
    ? `${Namespace}:${Path | BaseForm<Path>}`
    : never;

/** Every `namespace:path` the English catalogs answer (French and Japanese are held to the same set by a test). */
export type CatalogKey = { [Namespace in keyof Namespaces]: KeysOf<Namespace> }[keyof Namespaces];

// The domain speaks in keys but imports nothing of ours: it declares an empty `MessageKeys` that this
// declaration fills, as i18next's own `CustomTypeOptions` does for its `t`.
declare module '../domain/msg.js' {
  interface MessageKeys {
    key: CatalogKey;
  }
}
