import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_WORDS, NEW_OPTIONS } from '../../src/commands/command.js';
import { GRAMMAR_ERRORS } from '../../src/commands/grammar-errors.js';

const LANGUAGES = ['en', 'fr', 'ja'] as const;

function load(lng: string): Map<string, string> {
  const url = new URL(`../../src/i18n/locales/${lng}/grammar.json`, import.meta.url);
  const flat = new Map<string, string>();
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') flat.set(path, node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, path === '' ? key : `${path}.${key}`);
    } else throw new Error(`${lng}: ${path} is neither text nor an object`);
  };
  walk(JSON.parse(readFileSync(url, 'utf8')), '');
  return flat;
}

// `{{allowed, statuses}}` fills `allowed` and formats it.
function variables(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/\{\{\s*([\w.-]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? '')),
  ].sort();
}

const catalogs = new Map(LANGUAGES.map((lng) => [lng, load(lng)]));
const en = catalogs.get('en')!;

describe('the grammar catalogs', () => {
  it.each(LANGUAGES)('%s has exactly the keys of en', (lng) => {
    expect([...catalogs.get(lng)!.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it.each(LANGUAGES)('%s uses the same interpolation variables as en, key by key', (lng) => {
    for (const [key, text] of catalogs.get(lng)!) {
      expect({ key, variables: variables(text) }).toEqual({ key, variables: variables(en.get(key) ?? '') });
    }
  });

  it.each(LANGUAGES)('%s has every error with the variables the parser fills', (lng) => {
    for (const [name, params] of Object.entries(GRAMMAR_ERRORS)) {
      const key = `error.${name}`;
      expect({ key, variables: variables(catalogs.get(lng)!.get(key) ?? '') }).toEqual({
        key,
        variables: [...params].sort(),
      });
    }
  });

  it.each(LANGUAGES)('%s has a help line for every command and a line for every option of new', (lng) => {
    const catalog = catalogs.get(lng)!;
    const wanted = [
      ...COMMAND_WORDS.map((word) => `help.${word}`),
      ...NEW_OPTIONS.map((name) => `option.${name}`),
    ];
    expect(wanted.filter((key) => !catalog.has(key))).toEqual([]);
  });

  it.each(['fr', 'ja'] as const)('%s is translated, not copied from en', (lng) => {
    const copied = [...catalogs.get(lng)!].filter(
      ([key, text]) => text.trim() === '' || text === en.get(key),
    );
    expect(copied).toEqual([]);
  });
});
