import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTextLength } from '../../src/domain/decide.js';
import { flatten, formBase, loadCatalogs } from '../../src/i18n/catalog.js';
import { keyParam, LOCALES, msg, statusLabel, translate } from '../../src/i18n/index.js';
import { sourceFiles } from '../support/source-files.js';

/**
 * The compiler holds every key the source writes to the English catalogs (src/i18n/keys.ts), and
 * catalogs.test.ts holds French and Japanese to the same keys. What neither sees is a key nested in a
 * catalog text, `$t(status:label.{{status}})`: this file checks those, and that the type still refuses.
 */

const catalogs = loadCatalogs();
const english = new Set(
  Object.entries(catalogs.en).flatMap(([namespace, catalog]) =>
    [...flatten(catalog).keys()].map((path) => `${namespace}:${formBase(path)}`),
  ),
);

/** Every `$t(key, …)` nested in a text of any language, with where it was found. */
function nested(): { key: string; where: string }[] {
  const found: { key: string; where: string }[] = [];
  for (const locale of LOCALES)
    for (const [namespace, catalog] of Object.entries(catalogs[locale]))
      for (const [path, text] of flatten(catalog))
        for (const [, inner] of text.matchAll(/\$t\(([^,)]*)/g))
          found.push({ key: inner!.trim(), where: `${locale}/${namespace}.json ${path}` });
  return found;
}

describe('keys nested in catalog texts', () => {
  const all = nested();

  it('finds them', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it('names a key English has, or a family of keys English has for a value filled in ({{status}})', () => {
    const unknown = all.filter(({ key }) => {
      // `$t({{nextKey}})`: the key is a parameter, typed as a key where it is written (keyParam).
      if (/^\{\{\s*\w+\s*\}\}$/.test(key)) return false;
      if (!key.includes('{{')) return !english.has(key);
      const family = new RegExp(`^${key.replace(/[.]/g, '\\.').replace(/\{\{\s*\w+\s*\}\}/g, '[\\w.]+')}$`);
      return ![...english].some((k) => family.test(k));
    });
    expect(unknown.map((u) => `${u.where}: $t(${u.key})`)).toEqual([]);
  });
});

describe('keys in the source', () => {
  it('are typed from every namespace the English catalogs have', () => {
    const declared = readFileSync(fileURLToPath(new URL('../../src/i18n/keys.ts', import.meta.url)), 'utf8');
    const typed = [...declared.matchAll(/^import type (\w+)Catalog from '\.\/locales\/en\/(\w+)\.json'/gm)];
    expect(typed.every(([, name, file]) => name === file)).toBe(true);
    expect(typed.map(([, name]) => name).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it('are checked by the compiler: an unknown key or namespace does not compile', () => {
    // @ts-expect-error a key no catalog has
    expect(translate('en', 'core:refusal.noSuchThing')).toBe('core:refusal.noSuchThing');
    // @ts-expect-error a namespace no catalog has
    expect(msg('newsurface:greeting.hello')).toEqual({ key: 'newsurface:greeting.hello' });
    // @ts-expect-error a key built from a value outside the statuses
    expect(translate('en', `status:label.${'archived' as const}`)).toBe('status:label.archived');
    // @ts-expect-error a key passed for a text to nest is a key too
    expect(checkTextLength('common:field.nope', 'x')).toBeNull();
  });

  it('accept plural and grammatical forms by their base key, and keys built from a typed value', () => {
    expect(translate('en', 'export:count.total', { count: 2 })).toMatch(/2/);
    expect(translate('fr', 'core:decision.approved')).not.toBe('core:decision.approved');
    for (const status of ['submitted', 'cancelled'] as const)
      expect(translate('ja', `status:label.${status}`)).toBe(statusLabel('ja', status));
    expect(keyParam('core:next.review.consent')).toBe('core:next.review.consent');
  });
});

describe('keys in the catalogs', () => {
  it('are each used: written in the source, nested in a catalog text, or of a family the source builds', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const source = sourceFiles([`${root}src`, `${root}adapters`])
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    // `status:label.${status}`: every key under the prefix is built from a typed value.
    const built = [...source.matchAll(/`([a-z]+:[\w.]*)\$\{/g)].map(([, prefix]) => prefix!);
    const nestedKeys = nested().map(({ key }) => key);
    const family = (key: string) =>
      new RegExp(`^${key.replace(/[.]/g, '\\.').replace(/\{\{\s*\w+\s*\}\}/g, '[\\w.]+')}$`);
    const unused = [...english].filter((key) => {
      if ([`'${key}'`, `"${key}"`, `\`${key}\``].some((written) => source.includes(written))) return false;
      if (key.startsWith('grammar:error.') && source.includes(`'${key.slice('grammar:error.'.length)}'`))
        return false;
      if (built.some((prefix) => key.startsWith(prefix))) return false;
      return !nestedKeys.some((inner) => inner === key || (inner.includes('{{') && family(inner).test(key)));
    });
    expect(unused).toEqual([]);
  });
});
