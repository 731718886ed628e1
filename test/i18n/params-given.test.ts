import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { flatten, formBase, loadCatalogs } from '../../src/i18n/catalog.js';
import { sourceFiles } from '../support/source-files.js';

/**
 * The compiler holds the keys the source writes (keys-used.test.ts), not the values a text fills in: a
 * call that names a key and forgets one of its `{{values}}` shows the person `{{allowed}}` (it did, on
 * `transfer-bot list --status`). Every call that writes its key and its values out — `translate(locale,
 * 'ns:key', { … })`, `t(reader, 'ns:key', { … })`, `msg('ns:key', { … })`, `texts.t('ns:key', { … })`,
 * `grammarError('key', { … })` — must give each value the English text uses, in any of its forms.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The values each English text fills in, by key, its plural and grammatical forms together. */
function valuesByKey(): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const [namespace, catalog] of Object.entries(loadCatalogs().en))
    for (const [path, text] of flatten(catalog)) {
      const key = `${namespace}:${formBase(path)}`;
      const values = byKey.get(key) ?? new Set<string>();
      for (const [, name] of text.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)) values.add(name!);
      byKey.set(key, values);
    }
  return byKey;
}

interface Call {
  where: string;
  key: string;
  /** The names the call gives, or undefined when it passes them in a way read only at run time. */
  given: Set<string> | undefined;
}

/** Every call in `source` that writes a key and its values out. */
function callsIn(file: string, source: string): Call[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const calls: Call[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = node.expression.getText(tree).split('.').pop();
      const args = node.arguments;
      const at = (index: number) => {
        const arg = args[index];
        return arg && ts.isStringLiteral(arg) ? arg.text : undefined;
      };
      let key: string | undefined;
      let params: ts.Expression | undefined;
      if ((name === 'translate' || name === 't') && at(1) !== undefined) [key, params] = [at(1), args[2]];
      else if ((name === 'msg' || name === 't') && at(0) !== undefined) [key, params] = [at(0), args[1]];
      else if (name === 'grammarError' && at(0) !== undefined)
        [key, params] = [`grammar:error.${at(0)}`, args[1]];
      if (key !== undefined) {
        let given: Set<string> | undefined = new Set();
        if (params && !ts.isObjectLiteralExpression(params)) given = undefined;
        for (const property of params && ts.isObjectLiteralExpression(params) ? params.properties : []) {
          if (ts.isSpreadAssignment(property) || !property.name) given = undefined;
          else given?.add(property.name.getText(tree).replace(/^['"]|['"]$/g, ''));
        }
        const line = tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1;
        calls.push({ where: `${file.slice(ROOT.length)}:${line}`, key, given });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return calls;
}

/** The calls that leave out a value their text fills in (`count` is i18next's own for plurals). */
function missing(calls: Call[], values: Map<string, Set<string>>): string[] {
  return calls.flatMap(({ where, key, given }) => {
    if (given === undefined) return [];
    const left = [...(values.get(key) ?? [])].filter((name) => name !== 'count' && !given.has(name));
    return left.length === 0 ? [] : [`${where} ${key}: ${left.join(', ')}`];
  });
}

describe('values given where a key is written', () => {
  const values = valuesByKey();

  it('every call of the source gives each value its text fills in', () => {
    const calls = sourceFiles([`${ROOT}src`, `${ROOT}adapters`]).flatMap((file) =>
      callsIn(file, readFileSync(file, 'utf8')),
    );
    // Enough calls read that this cannot pass by reading none.
    expect(
      calls.filter((c) => c.given !== undefined && (values.get(c.key)?.size ?? 0) > 0).length,
    ).toBeGreaterThan(100);
    expect(missing(calls, values)).toEqual([]);
  });

  it('names a call that leaves one out, and not one that gives them all or passes them on', () => {
    const source = `
      translate('en', 'grammar:error.badStatus', { word: status });
      grammarError('badStatus', { word, allowed: STATUSES.join(', ') });
      msg('grammar:error.badStatus', { ...params });
      texts.t('grammar:error.badStatus', { 'word': w });`;
    expect(missing(callsIn(`${ROOT}adapters/example.ts`, source), values)).toEqual([
      'adapters/example.ts:2 grammar:error.badStatus: allowed',
      'adapters/example.ts:5 grammar:error.badStatus: allowed',
    ]);
  });
});
