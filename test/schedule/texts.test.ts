import { describe, expect, it } from 'vitest';
import { listParam, LOCALES, translate, type CatalogKey, type Locale } from '../../src/i18n/index.js';
import { EARLIER_REMINDER_KEYS } from '../../src/schedule/policy.js';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** Every text the reminders and the delivery worker can send, with the parameters they send it with. */
const SAMPLES: [CatalogKey, Record<string, string | number>][] = [
  ['reminders:consent.reminder', { id: 'AT-7F3K9QJ2', number: 2, role: 'transferee' }],
  ['reminders:consent.reminder', { id: 'AT-7F3K9QJ2', number: 1, role: 'transferor' }],
  ['reminders:consent.howTo', { id: 'AT-7F3K9QJ2' }],
  [
    'reminders:consent.escalation',
    {
      id: 'AT-7F3K9QJ2',
      number: 4,
      role: 'transferee',
      name: 'Bob Peeters',
      account: 'be.example',
      accountName: 'Lumière Belgique',
    },
  ],
  ['reminders:submission.reminder', { id: 'AT-7F3K9QJ2', number: 1 }],
  ['reminders:submission.howTo', { id: 'AT-7F3K9QJ2' }],
  ['reminders:compliance.reminder', { id: 'AT-7F3K9QJ2', number: 3, count: 2 }],
  ['reminders:compliance.howTo', { id: 'AT-7F3K9QJ2' }],
  ['delivery:unreachable.user', { id: 'AT-7F3K9QJ2', name: 'Paul Partner', email: 'paul@partner.example' }],
  ['delivery:unreachable.channel', { id: 'AT-7F3K9QJ2', channel: 'compliance' }],
  ['delivery:failed', { id: 'AT-7F3K9QJ2', recipient: 'Bob Peeters <bob@be.example>', count: 8 }],
  ['delivery:lost.message', {}],
  ['delivery:lost.consentCard', {}],
  ['delivery:lost.complianceCard', {}],
  ['delivery:cardsNotUpdated', { id: 'AT-7F3K9QJ2', count: 1 }],
  ['delivery:cardsNotUpdated', { id: 'AT-7F3K9QJ2', count: 5 }],
  ['delivery:lost.file', { name: 'AT-7F3K9QJ2.xlsx' }],
  ['delivery:file.title', { name: 'AT-7F3K9QJ2.xlsx' }],
];

describe.each(LOCALES)('reminder and delivery texts in %s', (locale: Locale) => {
  it.each(SAMPLES)('%s %j', (key, params) => {
    const text = translate(locale, key, params);
    expect(text).not.toBe(key);
    expect(text).not.toMatch(/\{\{|\$t\(|common:|status:/);
    for (const value of Object.values(params)) {
      // Numbers used only to pick a plural form still appear; role keys are translated instead.
      if (typeof value === 'number' || !['transferee', 'transferor'].includes(value))
        expect(text).toContain(String(value));
    }
    if (locale !== 'en' && Object.keys(params).some((p) => p !== 'name' && p !== 'channel')) {
      expect(text).not.toBe(translate('en', key, params));
    }
  });
});

describe('words the readers expect', () => {
  it('names the consenting role in each language', () => {
    // A role inside a sentence is a common noun: lower case in French.
    expect(
      translate('fr', 'reminders:consent.reminder', { id: 'AT-1', number: 1, role: 'transferee' }),
    ).toContain('votre consentement en tant que cessionnaire.');
    // Japanese: the role's own （転送元） is not wrapped in another pair of parentheses.
    const ja = translate('ja', 'reminders:consent.reminder', { id: 'AT-1', number: 1, role: 'transferor' });
    expect(ja).toContain('譲渡人（転送元）としてのご回答');
    expect(ja).not.toMatch(/（[^（）]*（/);
  });

  it('names several transferors still silent as a list, in the plural', () => {
    const params = {
      id: 'AT-1',
      number: 4,
      role: 'transferor',
      account: 'jp.example',
      accountName: 'さくら',
    };
    const two = { ...params, name: listParam(['佐藤 陽翔', '田中 結衣']), count: 2 };
    expect(translate('en', 'reminders:consent.escalation', two)).toMatch(
      /^Escalation: 佐藤 陽翔 and 田中 結衣 \(transferors\) have still not answered/,
    );
    expect(translate('fr', 'reminders:consent.escalation', two)).toMatch(
      /^Escalade\u00a0: 佐藤 陽翔 et 田中 結衣 \(cédants\) n’ont toujours pas répondu/,
    );
    expect(translate('ja', 'reminders:consent.escalation', two)).toContain(
      '譲渡人（転送元）の 佐藤 陽翔 さん、田中 結衣 さんが、',
    );
    // No space between the account's closing bracket and the particle after it.
    expect(translate('ja', 'reminders:consent.escalation', two)).toContain(
      'さくら（jp.example）の他の管理者として',
    );
    const three = { ...params, name: listParam(['A', 'B', 'C']), count: 3 };
    expect(translate('en', 'reminders:consent.escalation', three)).toContain('A, B and C (transferors) have');
    const one = { ...params, name: listParam(['Bob Peeters']), count: 1 };
    expect(translate('en', 'reminders:consent.escalation', one)).toContain(
      'Bob Peeters (transferor) has still',
    );
    expect(translate('fr', 'reminders:consent.escalation', one)).toContain(
      'Bob Peeters (cédant) n’a toujours',
    );
  });

  it('tells the age and the time left in the unit that fits, with its plural', () => {
    const age = (locale: Locale, ms: number) => translate(locale, 'reminders:age.waiting', { age: ms });
    expect(age('en', 3 * D + 5 * H)).toBe('Waiting for 3 days.');
    expect(age('en', H)).toBe('Waiting for 1 hour.');
    expect(age('fr', D)).toBe('En attente depuis 1 jour.');
    expect(age('fr', 25 * MIN)).toBe('En attente depuis 25 minutes.');
    expect(age('ja', 2 * MIN)).toBe('2分経過しています。');
    const left = (locale: Locale, ms: number) =>
      translate(locale, 'reminders:consent.cancelledIn', { left: ms });
    expect(left('en', 2 * MIN + 59_000)).toBe(
      'Without an answer, the transaction will be cancelled in 2 minutes.',
    );
    expect(left('fr', 5 * H)).toBe('Sans réponse, la transaction sera annulée dans 5 heures.');
    expect(left('ja', 2 * MIN)).toBe('回答がない場合、トランザクションはあと2分でキャンセルされます。');
    expect(left('ja', 12 * D)).toBe('回答がない場合、トランザクションはあと12日でキャンセルされます。');
  });
});

describe('reminders queued before the age and the time left were durations', () => {
  it.each(LOCALES)('still read in %s when they go out', (locale) => {
    for (const key of EARLIER_REMINDER_KEYS) {
      const text = translate(locale, key, { count: 2 });
      expect(text).not.toContain(key.split(':')[1]);
      expect(text).toContain('2');
    }
  });
});
