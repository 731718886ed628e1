import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentRole, decision } from '../../db/schema.js';
import { STATUSES } from '../../src/domain/status.js';
import { loadCatalogs } from '../../src/i18n/catalog.js';
import { hasKey, LOCALES } from '../../src/i18n/index.js';
import {
  compilerOptions,
  nestedKeys,
  scanSources,
  sourceFiles,
  type FoundKey,
  type ScanResult,
} from '../support/i18n-keys.js';

/**
 * A text the bot shows must exist in English, French and Japanese. The source is scanned afresh on
 * every run — every folder the bot's code lives in — so a file another engineer adds is checked
 * without anyone touching this test.
 */

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const SOURCE_ROOTS = ['src', 'adapters', 'db', 'bin'].map((d) => join(ROOT, d));

const catalogs = loadCatalogs();
const namespaces = new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])));
const options = compilerOptions(join(ROOT, 'tsconfig.json'));

/** `where` of the first few uses of a key, for a failure message someone can act on. */
function missingIn(found: FoundKey[]): string[] {
  const byKey = new Map<string, string[]>();
  for (const { key, where } of found) byKey.set(key, [...(byKey.get(key) ?? []), where]);
  const missing: string[] = [];
  for (const [key, wheres] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
    const lacking = LOCALES.filter((l) => !hasKey(l, key));
    if (lacking.length > 0)
      missing.push(`${key} — missing in ${lacking.join(', ')} — used at ${wheres.slice(0, 3).join(', ')}`);
  }
  return missing;
}

const describeUnverifiable = (scan: ScanResult) =>
  scan.unverifiable.map((u) => `${u.where}: ${u.text} — ${u.why}`);

describe('keys used by the bot', () => {
  let source: ScanResult;

  beforeAll(() => {
    source = scanSources(sourceFiles(SOURCE_ROOTS), namespaces, options, ROOT);
  });

  it('finds the keys the core and the surfaces use, templates expanded', () => {
    const keys = new Set(source.keys.map((k) => k.key));
    // The scanner itself must work, or every other check here passes for nothing.
    expect(keys.size).toBeGreaterThan(60);
    for (const key of [
      'core:refusal.notFound',
      'core:reply.statusNow',
      'eligibility:reason.enterpriseAgreement',
      'core:refusal.onlyRequester.submit',
      'core:refusal.onlyRequester.cancel',
      'status:label.transfer_completed_with_failure',
      'status:description.cancelled',
      'common:role.transferor',
      'export:column.transactionId',
      'common:history.action.consent.reject',
      'common:history.refusal.already_decided',
    ]) {
      expect(keys, key).toContain(key);
    }
  });

  it('can expand every key built from a value', () => {
    expect(describeUnverifiable(source)).toEqual([]);
  });

  it('has every key the source uses in en, fr and ja', () => {
    expect(missingIn(source.keys)).toEqual([]);
  });

  it('has every key nested in a catalog text ($t(…)) in en, fr and ja', () => {
    const sourceKeys = (prefix: string) => [
      ...new Set(source.keys.map((k) => k.key).filter((k) => k.startsWith(prefix))),
    ];
    const reasonKeys = sourceKeys('eligibility:reason.');
    // `core:action.{{action}}` names what a wrong-status refusal was asked to do: the domain's list.
    const decide = readFileSync(join(ROOT, 'src/domain/decide.ts'), 'utf8');
    const actions = [...decide.matchAll(/wrongStatus\(\s*\w+\s*,\s*'([\w.]+)'\s*\)/g)].map((m) => m[1]!);
    expect(actions).toEqual(expect.arrayContaining(['submit', 'consent', 'screen', 'retry']));
    const nested = nestedKeys(catalogs, {
      status: STATUSES,
      from: STATUSES,
      to: STATUSES,
      decision: decision.enumValues,
      role: consentRole.enumValues,
      action: actions,
      reasonKey: reasonKeys,
      nextKey: sourceKeys('core:next.'),
      fieldKey: sourceKeys('common:field.'),
    });
    expect(nested.keys.length).toBeGreaterThan(20);
    expect(describeUnverifiable(nested)).toEqual([]);
    expect(missingIn(nested.keys)).toEqual([]);
  });
});

describe('the scan', () => {
  let dir: string;
  let scan: ScanResult;

  beforeAll(() => {
    // A file nobody told the test about, as a new adapter would be.
    dir = mkdtempSync(join(tmpdir(), 'keys-used-'));
    writeFileSync(
      join(dir, 'new-adapter.ts'),
      [
        'declare function msg(key: string): unknown;',
        'declare function t(locale: string, key: string): string;',
        "type Tab = 'licenses' | 'devices';",
        'declare const tab: Tab;',
        'declare const free: string;',
        "export const a = msg('newsurface:greeting.hello');",
        "export const b = t('fr', `common:field.${tab}`);",
        "export const c = t('fr', `common:field.${free}`);",
        "export const d = 'core:refusal.notFound';",
        "export const e = 'consent:transferee';",
        'export const f = [] as string[];',
        "for (const k of ['help', 'show']) f.push(t('en', `grammar:help.${k}`));",
      ].join('\n'),
    );
    scan = scanSources(sourceFiles([dir]), namespaces, options, dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('picks up a new file and reports a key of a namespace no catalog has', () => {
    expect(missingIn(scan.keys)).toEqual([
      'newsurface:greeting.hello — missing in en, fr, ja — used at new-adapter.ts:6',
    ]);
  });

  it('expands templates from their types and lists, and refuses to guess a plain string', () => {
    const keys = scan.keys.map((k) => k.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'common:field.licenses',
        'common:field.devices',
        'grammar:help.help',
        'grammar:help.show',
        'core:refusal.notFound',
      ]),
    );
    // A card decision id shaped like a key is not taken for one: `consent` is no namespace.
    expect(keys).not.toContain('consent:transferee');
    expect(scan.unverifiable.map((u) => u.where)).toEqual(['new-adapter.ts:8']);
  });
});
