import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/domain/status.js';
import {
  formBase,
  GRAMMATICAL_CONTEXTS,
  flatten,
  interpolationVariables,
  loadCatalogs,
  pluralBase,
} from '../../src/i18n/catalog.js';
import { LOCALES, resolveLocale, statusLabel, type Locale } from '../../src/i18n/index.js';

// Read from disk here rather than through the running instance, so a namespace another module adds
// later is checked by this very file without anyone editing it.
const catalogs = loadCatalogs();
const namespaces = [...new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])))].sort();

/** `ns:path` (plural and grammatical forms folded) → the texts of that key in one language. */
function textsByKey(locale: Locale): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [namespace, catalog] of Object.entries(catalogs[locale])) {
    for (const [path, text] of flatten(catalog)) {
      const key = `${namespace}:${formBase(path)}`;
      out.set(key, [...(out.get(key) ?? []), text]);
    }
  }
  return out;
}

const byLocale = Object.fromEntries(LOCALES.map((l) => [l, textsByKey(l)])) as Record<
  Locale,
  Map<string, string[]>
>;
const allKeys = [...new Set(LOCALES.flatMap((l) => [...byLocale[l].keys()]))].sort();

describe('catalogs', () => {
  it('has the namespaces this module owns, in every language', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(catalogs[locale])).toEqual(expect.arrayContaining(['common', 'status']));
    }
  });

  it.each(namespaces)('namespace %s exists in every language', (namespace) => {
    for (const locale of LOCALES)
      expect(catalogs[locale][namespace], `${locale}/${namespace}.json`).toBeDefined();
  });

  it('has every key of any language in all three', () => {
    const missing = allKeys.flatMap((key) =>
      LOCALES.filter((l) => !byLocale[l].has(key)).map((l) => `${l} lacks ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('uses the same interpolation variables for a key in every language', () => {
    const mismatches: string[] = [];
    for (const key of allKeys) {
      const sets = LOCALES.map((l) => {
        const vars = new Set<string>();
        for (const text of byLocale[l].get(key) ?? [])
          for (const v of interpolationVariables(text)) vars.add(v);
        return [...vars].sort().join(',');
      });
      if (new Set(sets).size > 1)
        mismatches.push(`${key}: ${LOCALES.map((l, i) => `${l}=[${sets[i]}]`).join(' ')}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('has no empty text', () => {
    const empty = LOCALES.flatMap((l) =>
      [...byLocale[l]]
        .filter(([, texts]) => texts.some((t) => t.trim() === ''))
        .map(([key]) => `${l} ${key}`),
    );
    expect(empty).toEqual([]);
  });

  it('gives every grammatical form (key_feminine) its plain key in the same language', () => {
    const orphans: string[] = [];
    const context = new RegExp(`_(?:${GRAMMATICAL_CONTEXTS.join('|')})$`);
    for (const locale of LOCALES) {
      for (const [namespace, catalog] of Object.entries(catalogs[locale])) {
        const bases = new Set([...flatten(catalog).keys()].map(pluralBase));
        for (const base of bases) {
          if (context.test(base) && !bases.has(base.replace(context, '')))
            orphans.push(`${locale} ${namespace}:${base}`);
        }
      }
    }
    expect(orphans).toEqual([]);
  });

  it('gives every plural key an _other form in every language', () => {
    const lacking: string[] = [];
    for (const locale of LOCALES) {
      for (const [namespace, catalog] of Object.entries(catalogs[locale])) {
        const paths = [...flatten(catalog).keys()];
        for (const path of paths.filter((p) => pluralBase(p) !== p)) {
          const other = `${pluralBase(path)}_other`;
          if (!paths.includes(other)) lacking.push(`${locale} ${namespace}:${other}`);
        }
      }
    }
    expect([...new Set(lacking)]).toEqual([]);
  });
});

describe('status labels', () => {
  it('names the eleven statuses in English exactly as the product names them', () => {
    expect(STATUSES.map((s) => statusLabel('en', s))).toEqual([
      'Validation Initiated',
      'Validation Completed',
      'Pending Submission',
      'Submitted',
      'Submitted – Awaiting Transferor/Transferee Consent',
      'Compliance Screening',
      'Compliance Screening Rejected',
      'Transfer Initiated',
      'Transfer Completed',
      'Transfer Completed with Failure',
      'Cancelled',
    ]);
  });

  it.each(['fr', 'ja'] as const)('translates every status in %s', (locale) => {
    for (const status of STATUSES) {
      const label = statusLabel(locale, status);
      expect(label).not.toBe(status);
      expect(label).not.toBe(`status:label.${status}`);
      expect(label).not.toBe(statusLabel('en', status));
    }
  });

  it('keeps the French terms of the French guide', () => {
    expect(statusLabel('fr', 'validation_initiated')).toBe('Validation initiée');
    expect(statusLabel('fr', 'compliance_rejected')).toBe('Contrôle de conformité rejeté');
    expect(statusLabel('fr', 'transfer_completed_with_failure')).toBe('Transfert terminé avec échec');
  });

  it('gives every status a description in every language', () => {
    for (const locale of LOCALES) {
      for (const status of STATUSES) expect(byLocale[locale].has(`status:description.${status}`)).toBe(true);
    }
  });
});

describe('resolveLocale', () => {
  it.each([
    [['fr-FR'], 'fr'],
    [['fr_CA'], 'fr'],
    [['FR'], 'fr'],
    [['ja-JP'], 'ja'],
    [['ja_jp'], 'ja'],
    [['en-US'], 'en'],
    [[' ja '], 'ja'],
    [['de-DE', 'fr'], 'fr'],
    [[undefined, null, '', 'ja'], 'ja'],
    [['es', 'pt-BR'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (candidates, expected) => {
    expect(resolveLocale(...candidates)).toBe(expected);
  });
});
