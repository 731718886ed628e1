/**
 * A message to show someone, not yet translated: the core speaks in keys so every surface and every
 * language renders the same thing. Keys are `namespace:path` (i18next style), params fill `{{name}}`.
 */
export interface Msg {
  key: string;
  params?: Record<string, string | number>;
}

export function msg(key: string, params?: Record<string, string | number>): Msg {
  return params === undefined ? { key } : { key, params };
}
