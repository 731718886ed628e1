import { describe, expect, it } from 'vitest';
import { keywordOf, optionOf, tokenize } from '../../src/commands/tokenize.js';

function words(line: string): string[] {
  const result = tokenize(line);
  if (!result.ok) throw new Error(result.error.key);
  return result.tokens.map((token) => token.text);
}

describe('tokenize', () => {
  const cases: [string, string[]][] = [
    ['a  b\tc', ['a', 'b', 'c']],
    ['a\u00a0b\u3000c', ['a', 'b', 'c']],
    ['sh\u200bow x', ['show', 'x']],
    ['"a b" c', ['a b', 'c']],
    ['to:acme.fr/"Lyon Lab" x', ['to:acme.fr/Lyon Lab', 'x']],
    ['reason:“a b”', ['reason:a b']],
    ['reason:“a b“', ['reason:a b']],
    ['reason:”a b”', ['reason:a b']],
    ["reason:'it’s ok' x", ['reason:it’s ok', 'x']],
    ['reason:‘it’s ok’ x', ['reason:it’s ok', 'x']],
    ["reason:'l'avis' x", ["reason:l'avis", 'x']],
    ["'a','b'", ['a,b']],
    ['reason:"it’s ok"', ['reason:it’s ok']],
    ["O'Brien don’t", ["O'Brien", 'don’t']],
    ['« a b »', [' a b ']],
    ['「a b」', ['a b']],
    ['a,"b c"', ['a,b c']],
    ['""', ['']],
  ];

  it.each(cases)('given %j, it gives %j', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it('refuses an unclosed quote and quotes the rest of the line back', () => {
    expect(tokenize('new justification:"a b')).toEqual({
      ok: false,
      error: { key: 'grammar:error.unclosedQuote', params: { word: 'justification:"a b' } },
    });
  });

  it('quotes back only the start of a long unclosed value', () => {
    const result = tokenize(`reason:"${'x'.repeat(100)}`);
    expect(result.ok ? '' : result.error.params?.['word']).toBe(`reason:"${'x'.repeat(31)}…`);
  });

  it('reads keywords and option names only where nothing was quoted', () => {
    const result = tokenize('"list" List "a:b" reason:"x: y"');
    if (!result.ok) throw new Error(result.error.key);
    const [quoted, plain, quotedOption, option] = result.tokens;
    expect(keywordOf(quoted!)).toBeUndefined();
    expect(keywordOf(plain!)).toBe('list');
    expect(optionOf(quotedOption!)).toBeUndefined();
    expect(optionOf(option!)).toMatchObject({ name: 'reason', value: 'x: y' });
  });
});
