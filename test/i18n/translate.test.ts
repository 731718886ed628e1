import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  hasKey,
  initI18n,
  msg,
  NO_DATE,
  statusLabel,
  tr,
  translate,
  type CatalogKey,
  type Locale,
  type MsgParams,
} from '../../src/i18n/index.js';

// The catalogs here are the test's own, so their keys are not the bot's CatalogKeys.
const translateFixture = translate as (locale: Locale, key: string, params?: MsgParams) => string;

// A catalog folder of our own: the behaviour under test must not depend on today's wording.
let dir: string;

function write(locale: string, namespace: string, content: unknown): void {
  mkdirSync(join(dir, locale), { recursive: true });
  writeFileSync(join(dir, locale, `${namespace}.json`), JSON.stringify(content));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'i18n-'));
  write('en', 'common', {
    hello: 'Hello {{name}}',
    item_one: '{{count}} item',
    item_other: '{{count}} items',
    onlyEn: 'English only',
    role: 'transferee',
    rejected: '{{name}} ($t(common:role)) rejected it: {{reason}}',
  });
  write('fr', 'common', {
    hello: 'Bonjour {{name}}',
    item_one: '{{count}} élément',
    item_other: '{{count}} éléments',
  });
  write('ja', 'common', { hello: 'こんにちは {{name}}', item_other: '{{count}} 件' });
  write('en', 'numbers', { rows_one: '{{count, number}} row', rows_other: '{{count, number}} rows' });
  write('fr', 'numbers', { rows_one: '{{count, number}} ligne', rows_other: '{{count, number}} lignes' });
  write('ja', 'numbers', { rows_other: '{{count, number}}行' });
  write('en', 'extra', { deep: { key: 'Found in a namespace nobody registered: {{what}}' } });
  write('fr', 'extra', { deep: { key: 'Trouvé : {{what}}' } });
  write('ja', 'extra', { deep: { key: '見つかりました：{{what}}' } });
  write('en', 'status', { label: { submitted: 'Submitted' } });
  write('ja', 'status', { label: { submitted: '送信済み' } });
  initI18n(dir);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  initI18n();
});

describe('translate', () => {
  it('fills variables without escaping them: renderers escape for their platform', () => {
    expect(translateFixture('fr', 'common:hello', { name: '<Marie & Co>' })).toBe('Bonjour <Marie & Co>');
  });

  it('reads a key without namespace from common', () => {
    expect(translateFixture('ja', 'hello', { name: 'Ken' })).toBe('こんにちは Ken');
  });

  it('picks up a namespace file it was never told about', () => {
    expect(translateFixture('ja', 'extra:deep.key', { what: 'x' })).toBe('見つかりました：x');
  });

  it('chooses the plural form from count', () => {
    expect(translateFixture('en', 'common:item', { count: 1 })).toBe('1 item');
    expect(translateFixture('en', 'common:item', { count: 3 })).toBe('3 items');
    expect(translateFixture('fr', 'common:item', { count: 0 })).toBe('0 élément');
    expect(translateFixture('ja', 'common:item', { count: 1 })).toBe('1 件');
  });

  it('reads a plural form the catalog does not write as its other form, never as English', () => {
    // French names a round million `many`; the catalog writes `one` and `other` only.
    expect(translateFixture('fr', 'item', { count: 1_000_000 })).toBe('1000000 éléments');
    expect(translateFixture('fr', 'item', { count: 2 })).toBe('2 éléments');
    expect(translateFixture('fr', 'item', { count: 0 })).toBe('0 élément');
  });

  it('writes a quantity as the reader’s language does, and anything else as it is', () => {
    expect(translateFixture('en', 'numbers:rows', { count: 12_345 })).toBe('12,345 rows');
    expect(translateFixture('fr', 'numbers:rows', { count: 1_000_000 })).toBe('1\u202f000\u202f000 lignes');
    expect(translateFixture('ja', 'numbers:rows', { count: 12_345 })).toBe('12,345行');
    expect(translateFixture('en', 'numbers:rows', { count: 1 })).toBe('1 row');
    expect(translateFixture('en', 'numbers:rows_other', { count: 'many' })).toBe('many rows');
  });

  it('gives a text without params the same each time, in each language, and forgets it with the catalogs', () => {
    expect(translateFixture('ja', 'status:label.submitted')).toBe('送信済み');
    expect(translateFixture('en', 'status:label.submitted')).toBe('Submitted');
    // French has no text of its own: English, then the same again once remembered.
    expect(translateFixture('fr', 'status:label.submitted')).toBe('Submitted');
    expect(translateFixture('fr', 'status:label.submitted', {})).toBe('Submitted');
    expect(translateFixture('ja', 'status:label.submitted')).toBe('送信済み');
    // Other catalogs loaded: their text, not the one remembered from these.
    const other = mkdtempSync(join(tmpdir(), 'i18n-other-'));
    try {
      for (const locale of ['en', 'fr', 'ja']) {
        mkdirSync(join(other, locale), { recursive: true });
        writeFileSync(
          join(other, locale, 'status.json'),
          JSON.stringify({ label: { submitted: `${locale}: sent` } }),
        );
      }
      initI18n(other);
      expect(translateFixture('ja', 'status:label.submitted')).toBe('ja: sent');
    } finally {
      initI18n(dir);
      rmSync(other, { recursive: true, force: true });
    }
    expect(translateFixture('ja', 'status:label.submitted')).toBe('送信済み');
  });

  it('keeps its own nested texts when a value holds $t( as someone typed it, and shows the value as typed', () => {
    const reason = 'see $t(common:hello) and $t(nope)';
    expect(translateFixture('en', 'rejected', { name: 'Sophie', reason })).toBe(
      'Sophie (transferee) rejected it: see $t(common:hello) and $t(nope)',
    );
    // A value that looks like the stand-in for another is not taken for it.
    expect(translateFixture('en', 'rejected', { name: '\uE0000\uE001', reason })).toBe(
      '\uE0000\uE001 (transferee) rejected it: see $t(common:hello) and $t(nope)',
    );
  });

  it('keeps params named like i18next options as params', () => {
    expect(translateFixture('en', 'common:hello', { name: 'Ann', ns: 'extra', lng: 'ja' })).toBe('Hello Ann');
  });

  it('leaves a forgotten variable visible', () => {
    expect(translateFixture('en', 'common:hello')).toBe('Hello {{name}}');
  });

  it('falls back to English for a key the language lacks', () => {
    expect(translateFixture('fr', 'common:onlyEn')).toBe('English only');
  });

  it('returns the key itself when no language has it, and never throws', () => {
    expect(translateFixture('fr', 'common:nothing.here')).toBe('common:nothing.here');
    expect(translateFixture('ja', 'extra:deep')).toBe('extra:deep');
    expect(translateFixture('xx' as never, 'common:hello')).toBe('Hello {{name}}');
    expect(translateFixture('en', '')).toBe('');
  });

  it('translates a Msg', () => {
    expect(tr('fr', msg('extra:deep.key' as CatalogKey, { what: 'AT-7F3K9QJ2' }))).toBe(
      'Trouvé : AT-7F3K9QJ2',
    );
  });

  it('labels a status through the status namespace', () => {
    expect(statusLabel('ja', 'submitted')).toBe('送信済み');
    expect(statusLabel('fr', 'submitted')).toBe('Submitted');
    expect(statusLabel('fr', 'cancelled')).toBe('status:label.cancelled');
  });
});

describe('hasKey', () => {
  it('answers for the language itself, without fallback', () => {
    expect(hasKey('en', 'common:onlyEn')).toBe(true);
    expect(hasKey('fr', 'common:onlyEn')).toBe(false);
    expect(hasKey('fr', 'onlyEn')).toBe(false);
    expect(hasKey('fr', 'status:label.submitted')).toBe(false);
  });

  it('knows a plural key by its base name', () => {
    expect(hasKey('ja', 'common:item')).toBe(true);
    expect(hasKey('en', 'common:item_one')).toBe(true);
  });

  it('does not take a group of keys for a key', () => {
    expect(hasKey('en', 'extra:deep')).toBe(false);
  });
});

describe('dates', () => {
  const instant = new Date('2026-03-05T23:30:00Z');

  it('shows a 24-hour time in the reader’s zone and language', () => {
    expect(formatDateTime(instant, 'fr', 'Europe/Paris')).toBe('6 mars 2026, 00:30 UTC+1');
    expect(formatDateTime(instant, 'ja', 'Asia/Tokyo')).toMatch(/^2026年3月6日 08:30/);
    expect(formatDateTime(instant, 'en', 'America/New_York')).toMatch(/^5 Mar 2026, 18:30/);
  });

  it('uses UTC for a missing or unknown zone', () => {
    expect(formatDateTime(instant, 'en', 'Mars/Olympus_Mons')).toBe('5 Mar 2026, 23:30 UTC');
    expect(formatDateTime(instant, 'en', undefined)).toBe('5 Mar 2026, 23:30 UTC');
    expect(formatDateTime(instant.toISOString(), 'en', null)).toBe('5 Mar 2026, 23:30 UTC');
  });

  it('gives the calendar day as it falls in the zone', () => {
    expect(formatDate(instant, 'en', 'UTC')).toBe('5 Mar 2026');
    expect(formatDate(instant, 'ja', 'Asia/Tokyo')).toBe('2026年3月6日');
  });

  it('shows a dash for something that is not a date', () => {
    expect(formatDateTime('not a date', 'fr', 'UTC')).toBe(NO_DATE);
    expect(formatDate(Number.NaN, 'ja')).toBe(NO_DATE);
  });
});
