import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/i18n/catalog.js';
import {
  backtrackingRisk,
  describeFinding,
  glossaryFindings,
  loadGlossaries,
  unusedTerms,
  type Glossary,
} from '../support/glossary.js';

// Read from disk, every namespace of every language: a key or a namespace added later is checked
// by this file without anyone touching it.
const catalogs = loadCatalogs();
const glossaries = loadGlossaries();

function glossary(language: string): Glossary {
  const found = glossaries.get(language);
  if (!found) throw new Error(`no glossary for ${language}`);
  return found;
}

describe('glossaries', () => {
  it('exist for French and Japanese', () => {
    expect([...glossaries.keys()].sort()).toEqual(['fr', 'ja']);
  });

  it.each(['fr', 'ja'] as const)('%s catalogs use no forbidden variant of a glossary term', (locale) => {
    const findings = glossaryFindings(glossary(locale), catalogs[locale]);
    expect(findings.map((f) => describeFinding(locale, f))).toEqual([]);
  });

  it.each(['fr', 'ja'] as const)('%s catalogs use every term the glossary chose', (locale) => {
    expect(unusedTerms(glossary(locale), catalogs[locale])).toEqual([]);
  });
});

describe('the glossary check', () => {
  it('catches a French value a future key might bring', () => {
    const findings = glossaryFindings(glossary('fr'), {
      later: {
        form: { title: 'Formulaire de demande de transfert de licences logicielles' },
        status: 'Statut : envoyé',
        glued: 'Source: acme.com',
        quote: 'Le statut « Envoyé »',
        apostrophe: "L'actif",
        role: 'Vous répondez en tant que Cessionnaire.',
        refused: 'Bob a refusé le transfert.',
        team: 'les opérations de licences peuvent le relancer',
        plural: '3 élément(s) transféré(s)',
        usage: 'Tapez help COMMANDE',
      },
    });
    const byKey = new Map<string, string[]>();
    for (const f of findings) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f.found]);
    expect([...byKey.keys()].sort()).toEqual(
      [
        'later:form.title',
        'later:status',
        'later:glued',
        'later:quote',
        'later:apostrophe',
        'later:role',
        'later:refused',
        'later:team',
        'later:plural',
        'later:usage',
      ].sort(),
    );
    expect(byKey.get('later:form.title')).toContain('licences logicielles');
  });

  it('leaves French command syntax and proper typography alone', () => {
    const findings = glossaryFindings(glossary('fr'), {
      later: {
        syntax: 'Désignez le cessionnaire (transferee:EMAIL)\u00a0; tapez ?TEXTE pour rechercher.',
        good: 'Statut\u00a0: «\u00a0Envoyé\u00a0». L’actif est-il prêt\u00a0?',
      },
    });
    expect(findings).toEqual([]);
  });

  it('catches a Japanese value a future key might bring', () => {
    const findings = glossaryFindings(glossary('ja'), {
      later: {
        submit: '転送を申請しました。',
        requester: 'リクエストした方に通知します。',
        you: 'あなたの同意が必要です。',
        colon: '理由: 不明',
        counter: '{{count}} 件あります',
        nested: '同意（$t(common:field.{{role}})）をお待ちしています',
        honorific: '{{by}} が承認しました',
        bot: 'Botの管理者',
        question: 'キャンセルしますか?',
      },
    });
    expect([...new Set(findings.map((f) => f.key))].sort()).toEqual(
      [
        'later:submit',
        'later:requester',
        'later:you',
        'later:colon',
        'later:counter',
        'later:nested',
        'later:honorific',
        'later:bot',
        'later:question',
      ].sort(),
    );
  });

  it('leaves Japanese command syntax and the product name alone', () => {
    const findings = glossaryFindings(glossary('ja'), {
      later: {
        syntax: '譲受人はメールアドレスで指定してください（例：transferee:marie.dupont@acme.fr）。',
        name: 'Asset Transfer Bot です。{{by}} さんが{{count}}件を承認しました。',
      },
    });
    expect(findings).toEqual([]);
  });

  it('refuses a pattern that could backtrack', () => {
    expect(backtrackingRisk('(a+)+$')).toBe('a repeated group with a repetition inside');
    expect(backtrackingRisk('(?:\\w|\\d)*x')).toBe('a repeated group with a repetition inside');
    expect(backtrackingRisk('(a)\\1')).toBe('a back-reference');
    expect(backtrackingRisk('(?<![Éé]quipe des )[Oo]pérations')).toBeUndefined();
    expect(backtrackingRisk('[(+*]+x')).toBeUndefined();
  });
});
