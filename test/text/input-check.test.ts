import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import {
  inputProblem,
  inputProblemIn,
  inputProblemMessage,
  MAX_MESSAGE_LENGTH,
  requestProblem,
} from '../../src/text/input-check.js';

describe('text from outside: what the bot refuses', () => {
  it.each([
    ['a NUL', 'accounts a\0b', 'U+0000'],
    ['a lone high surrogate', 'show \uD800', 'U+D800'],
    ['a lone low surrogate', 'justification:\uDC00x', 'U+DC00'],
    ['U+FFFE', 'list \uFFFE', 'U+FFFE'],
    ['U+FFFF', '\uFFFF', 'U+FFFF'],
    ['a noncharacter of the Arabic block', 'x\uFDD0', 'U+FDD0'],
    ['a noncharacter of a supplementary plane', `x${String.fromCodePoint(0x10ffff)}`, 'U+10FFFF'],
  ])('%s, named by its code point', (_what, text, character) => {
    expect(inputProblem(text)).toEqual({ kind: 'character', character });
  });

  it('accepts every language and emoji, tabs and line breaks', () => {
    for (const text of [
      'justification:"Déménagement à Lyon — « bureau »"',
      'アセット移管を依頼します：東京オフィス',
      'reason:"ok 👍🏽 👨‍👩‍👧"',
      'line one\nline two\tand a tab',
      '',
    ])
      expect(inputProblem(text)).toBeUndefined();
  });

  it('refuses more than the limit, and says how long it was', () => {
    expect(inputProblem('x'.repeat(MAX_MESSAGE_LENGTH))).toBeUndefined();
    expect(inputProblem('x'.repeat(MAX_MESSAGE_LENGTH + 1))).toEqual({
      kind: 'tooLong',
      length: MAX_MESSAGE_LENGTH + 1,
      max: MAX_MESSAGE_LENGTH,
    });
    expect(inputProblem('abcdef', 5)).toEqual({ kind: 'tooLong', length: 6, max: 5 });
  });

  it('finds any string with a surrogate alone, and none in well-formed text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(inputProblem(text)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
        (before, surrogate, after) => {
          const problem = inputProblem(`${before}${String.fromCharCode(surrogate)}${after}`);
          expect(problem?.kind).toBe('character');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('says what was wrong in the reader’s language, naming the character', () => {
    const message = inputProblemMessage({ kind: 'character', character: 'U+0000' });
    expect(translate('en', message.key, message.params)).toContain('U+0000');
    expect(translate('fr', message.key, message.params)).toMatch(/caractère U\+0000.*Rien n’a été modifié/);
    expect(translate('ja', message.key, message.params)).toContain('U+0000');
    const tooLong = inputProblemMessage({ kind: 'tooLong', length: 30_000, max: 28_000 });
    expect(translate('fr', tooLong.key, tooLong.params)).toContain('30\u202f000');
  });
});

describe('text inside a payload', () => {
  it('finds the first unsafe string and says where it is, keys included', () => {
    expect(
      inputProblemIn({ action: { verb: 'consent_reject', data: { id: 'AT-1', reason: 'no\0' } } }),
    ).toEqual({
      problem: { kind: 'character', character: 'U+0000' },
      path: ['action', 'data', 'reason'],
    });
    expect(inputProblemIn({ list: ['ok', 'fine', 'x\uDBFF'] })?.path).toEqual(['list', 2]);
    expect(inputProblemIn({ ok: { 'bad\uFFFEkey': 1 } })?.path).toEqual(['ok']);
    expect(inputProblemIn({ a: 1, b: [true, null, 'fine'], c: 'Ｌｉｓｔ' })).toBeUndefined();
  });

  it('a whole request: too long only in what was typed, an unsafe character anywhere, named in the typed part first', () => {
    const long = 'x'.repeat(MAX_MESSAGE_LENGTH + 1);
    const typed = { text: 'list' };
    // The platform's own parts may be long…
    expect(requestProblem({ text: 'list', blocks: [{ text: long }] }, typed)).toBeUndefined();
    // …but hold no character the bot cannot take, wherever they are.
    expect(requestProblem({ text: 'list', user: { name: 'Bob\0' } }, typed)).toEqual({
      problem: { kind: 'character', character: 'U+0000' },
      path: ['user', 'name'],
    });
    expect(requestProblem({ echo: ['\uFFFF'] }, {})?.problem).toEqual({
      kind: 'character',
      character: 'U+FFFF',
    });
    // What was typed is held to a message's length, and a problem there is named where it was typed.
    expect(requestProblem({ text: long }, { text: long })).toEqual({
      problem: { kind: 'tooLong', length: MAX_MESSAGE_LENGTH + 1, max: MAX_MESSAGE_LENGTH },
      path: ['text'],
    });
    expect(
      requestProblem({ view: { state: { values: { r: 'a\uDC00' } } } }, { values: { r: 'a\uDC00' } })?.path,
    ).toEqual(['values', 'r']);
  });

  it('walks a payload nested far deeper than the call stack could, in one pass', () => {
    let nested: unknown = 'bottom\0';
    for (let depth = 0; depth < 100_000; depth++) nested = [nested];
    const found = inputProblemIn(nested);
    expect(found?.problem).toEqual({ kind: 'character', character: 'U+0000' });
    expect(found?.path).toHaveLength(100_000);
  });
});
