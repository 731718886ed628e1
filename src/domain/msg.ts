/**
 * Filled in by src/i18n/keys.ts (declaration merging) with the union of the catalogs' keys, so the
 * compiler checks every key the core writes while the domain imports nothing but itself.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MessageKeys {}

/** A key of the message catalogs, `namespace:path`; plain text when no catalog declaration is loaded. */
export type MessageKey = MessageKeys extends { key: infer Key extends string } ? Key : string;

/**
 * A message to show someone, not yet translated: the core speaks in keys so every surface and every
 * language renders the same thing. Keys are `namespace:path` (i18next style), params fill `{{name}}`.
 */
export interface Msg {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * A key handed to a text as a parameter, for the text to nest (`$t({{nextKey}})`): typed as a key so the
 * compiler checks it like the message's own.
 */
export function keyParam(key: MessageKey): string {
  return key;
}

/** What separates the items of a `listParam` (a control character no name holds). */
export const LIST_SEPARATOR = '\u001f';

/**
 * Several items (names) handed to a text as one parameter, for it to join as its reader's language joins
 * a list (`{{names, list}}`: "A, B and C", « A, B et C », 「A、B、C」).
 */
export function listParam(items: readonly string[]): string {
  return items.join(LIST_SEPARATOR);
}

export function msg(key: MessageKey, params?: Record<string, string | number>): Msg {
  return params === undefined ? { key } : { key, params };
}
