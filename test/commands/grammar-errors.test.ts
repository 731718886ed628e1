import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/grammar.js';
import { GRAMMAR_ERRORS, type GrammarError } from '../../src/commands/grammar-errors.js';
import { tr } from '../../src/i18n/index.js';

const ID = 'AT-7F3K9QJ2';

// Every error names the word that was wrong; `word` is checked when the error has one.
const errorCases: [string, GrammarError, Record<string, string>][] = [
  ['lst', 'unknownCommand', { word: 'lst' }],
  ['transfer frobnicate now', 'unknownCommand', { word: 'frobnicate' }],
  ['"list"', 'unknownCommand', { word: '"list"' }],
  ['help frobnicate', 'unknownCommand', { word: 'frobnicate' }],
  [
    'list state:cancelled',
    'unknownOption',
    { word: 'state:', command: 'list', allowed: 'status: before: after:' },
  ],
  ['new form:acme.fr', 'unknownOption', { word: 'form:', command: 'new' }],
  [`consent ${ID} reject because:"no"`, 'unknownOption', { word: 'because:', command: 'consent' }],
  ['new from:a.com from:b.com', 'duplicateOption', { word: 'from:' }],
  ['list status:cancelled status:submitted', 'duplicateOption', { word: 'status:' }],
  ['new transferee:', 'missingOptionValue', { word: 'transferee:' }],
  ['new justification:"  "', 'missingOptionValue', { word: 'justification:"  "' }],
  ['new assets:', 'missingOptionValue', { word: 'assets:' }],
  [`screen ${ID} reject reason:""`, 'missingOptionValue', { word: 'reason:""' }],
  ['new justification:"never closed', 'unclosedQuote', { word: 'justification:"never closed' }],
  ['accounts “ACME', 'unclosedQuote', { word: '“ACME' }],
  ["assets 'acme.fr", 'unclosedQuote', { word: "'acme.fr" }],
  [`show ${ID} now`, 'extraWords', { word: 'now', command: 'show' }],
  [`consent ${ID} reject not my account`, 'extraWords', { word: 'not', command: 'consent' }],
  ['help list show', 'extraWords', { word: 'show', command: 'help' }],
  ['list acme.fr acme.de', 'extraWords', { word: 'acme.de', command: 'list' }],
  ['export acme.fr acme.de', 'extraWords', { word: 'acme.de', command: 'export' }],
  ['use acme.fr now', 'extraWords', { word: 'now', command: 'use' }],
  ['new from:a.com please', 'extraWords', { word: 'please', command: 'new' }],
  ['new assets:SO:ABC', 'badAssetRef', { word: 'SO:ABC' }],
  ['new assets:SO:1-1,XX:9', 'badAssetRef', { word: 'XX:9' }],
  ['new assets:SO:104875519-1.1', 'minorLineRef', { word: 'SO:104875519-1.1', line: 'SO:104875519-1' }],
  [
    'new assets:SN:FOC1,so:104875519-2.4',
    'minorLineRef',
    { word: 'so:104875519-2.4', line: 'SO:104875519-2' },
  ],
  ['new SN:', 'badAssetRef', { word: 'SN:' }],
  ['show AT-123', 'badTransactionId', { word: 'AT-123' }],
  ['submit 7F3K9QJ2', 'badTransactionId', { word: '7F3K9QJ2' }],
  ['cancel AT-7F3K9QJ2X', 'badTransactionId', { word: 'AT-7F3K9QJ2X' }],
  ['retry AT_7F3K9QJ2', 'badTransactionId', { word: 'AT_7F3K9QJ2' }],
  ['consent approve', 'badTransactionId', { word: 'approve' }],
  ['export AT-12', 'badTransactionId', { word: 'AT-12' }],
  ['list status:done', 'badStatus', { word: 'done' }],
  ['list status:"Transfer Done"', 'badStatus', { word: 'Transfer Done' }],
  // A label is read whole: part of one is no status.
  ['list status:Annul', 'badStatus', { word: 'Annul' }],
  ['list status:Transfert', 'badStatus', { word: 'Transfert' }],
  ['assets /DEFAULT', 'badAccount', { word: '/DEFAULT' }],
  ['assets acme.fr/', 'badAccount', { word: 'acme.fr/' }],
  ['use acme.fr/DEFAULT', 'badAccount', { word: 'acme.fr/DEFAULT' }],
  ['list acme.fr/DEFAULT', 'badAccount', { word: 'acme.fr/DEFAULT' }],
  ['new from:/DEFAULT', 'badAccount', { word: '/DEFAULT' }],
  ['new same-company:maybe', 'badSameCompany', { word: 'maybe' }],
  ['new transferee:hans.meyer', 'badEmail', { word: 'hans.meyer' }],
  ['new terms:decline', 'badTerms', { word: 'decline' }],
  [`consent ${ID} maybe`, 'badDecision', { word: 'maybe', command: 'consent' }],
  [`screen ${ID} "approve"`, 'badDecision', { word: '"approve"', command: 'screen' }],
  ['show', 'missingTransactionId', { command: 'show' }],
  ['transfer submit', 'missingTransactionId', { command: 'submit' }],
  ['cancel', 'missingTransactionId', { command: 'cancel' }],
  ['retry', 'missingTransactionId', { command: 'retry' }],
  ['consent', 'missingTransactionId', { command: 'consent' }],
  ['screen reason:"x"', 'missingTransactionId', { command: 'screen' }],
  ['assets', 'missingSmartAccount', { command: 'assets' }],
  ['use', 'missingSmartAccount', { command: 'use' }],
  [`consent ${ID}`, 'missingDecision', { command: 'consent' }],
  [`screen ${ID} reason:"x"`, 'missingDecision', { command: 'screen' }],
  // grant and revoke: a person by e-mail, a role, and the Smart Account of an admin or user role.
  ['grant', 'missingPerson', { command: 'grant' }],
  ['revoke bob', 'badPersonEmail', { word: 'bob' }],
  ['grant bob@be.example', 'missingRole', { command: 'grant' }],
  ['grant bob@be.example owner fr-a.example', 'badRole', { word: 'owner' }],
  ['grant bob@be.example admin', 'missingSmartAccount', { command: 'grant' }],
  ['revoke bob@be.example user fr-a.example/DEFAULT', 'badAccount', { word: 'fr-a.example/DEFAULT' }],
  ['grant bob@be.example compliance fr-a.example', 'extraWords', { word: 'fr-a.example', command: 'grant' }],
  ['revoke bob@be.example admin fr-a.example now', 'extraWords', { word: 'now', command: 'revoke' }],
];

describe('given a wrong line, parseCommand names what was wrong', () => {
  it.each(errorCases)('%s → %s', (line, key, params) => {
    const result = parseCommand(line);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.key).toBe(`grammar:error.${key}`);
    expect(result.error.params).toMatchObject(params);
    expect(Object.keys(result.error.params ?? {}).sort()).toEqual([...GRAMMAR_ERRORS[key]].sort());
  });

  it('exercises every error the grammar declares', () => {
    const exercised = new Set(errorCases.map(([, key]) => key));
    expect([...exercised].sort()).toEqual(Object.keys(GRAMMAR_ERRORS).sort());
  });

  it('lists the valid statuses when a status is wrong', () => {
    const result = parseCommand('list status:done');
    expect(result.ok ? '' : result.error.params?.['allowed']).toContain('awaiting_consent');
  });

  it('names every status to the reader in the reader’s language, each with its key', () => {
    const result = parseCommand('list status:Annul');
    const error = result.ok ? undefined : result.error;
    expect(error).toBeDefined();
    const fr = tr('fr', error!);
    expect(fr).toContain('Utilisez l’un de ceux-ci\u00a0: Validation initiée (validation_initiated), ');
    expect(fr).toContain(', Annulé (cancelled)');
    expect(tr('ja', error!)).toContain(
      '転送完了（transfer_completed）、転送完了（一部失敗）（transfer_completed_with_failure）、',
    );
    expect(tr('en', error!)).toMatch(
      /Use one of: Validation Initiated \(validation_initiated\), .*, Cancelled \(cancelled\)$/,
    );
  });

  it('names by code point what would disguise a word it shows back, and keeps the rest as typed', () => {
    const result = parseCommand('help 🚀🚀 \u202e');
    expect(result.ok ? '' : result.error.params?.['word']).toBe('U+202E');
    const status = parseCommand('list status:a\u202eb');
    expect(status.ok ? '' : status.error.params?.['word']).toBe('aU+202Eb');
  });

  it('shows the usage when an argument is missing', () => {
    const result = parseCommand('consent');
    expect(result.ok ? '' : result.error.params?.['usage']).toBe('consent ID approve|reject [reason:"…"]');
  });
});

describe('every error key the parser returns exists in each language', () => {
  const catalogs = ['en', 'fr', 'ja'].map((lng) => {
    const url = new URL(`../../src/i18n/locales/${lng}/grammar.json`, import.meta.url);
    return [lng, JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>] as const;
  });

  const returnedKeys = [...new Set(errorCases.map(([line]) => parseCommand(line)))].flatMap((result) =>
    result.ok ? [] : [result.error.key],
  );

  describe.each(catalogs)('%s', (_lng, catalog) => {
    it.each([...new Set(returnedKeys)])('%s', (key) => {
      const [namespace, path] = key.split(':');
      expect(namespace).toBe('grammar');
      const text = (path ?? '')
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
      expect(typeof text).toBe('string');
    });
  });
});
