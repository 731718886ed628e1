import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandText } from '../../adapters/teams/activity.js';
import { MAX_MESSAGE_LENGTH, unsafeCharacter } from '../../src/text/input-check.js';

/**
 * How the bot first read Teams' HTML, with regular expressions that are right but quadratic on some
 * inputs. Kept here as the definition the linear reader must agree with, on inputs small enough for
 * them to finish at once. It threw on a numeric reference beyond Unicode.
 */
function referenceReading(text: string): string {
  const entities: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const withoutMentions = text.replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ');
  const withoutTags = withoutMentions
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '');
  return withoutTags
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X'))
        return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

// Pieces Teams' HTML is made of, and the characters that make its patterns backtrack.
const piece = fc.constantFrom(
  '<',
  '>',
  '/',
  ' ',
  '\n',
  'a',
  't',
  'A',
  'T',
  'b',
  'r',
  'p',
  'div',
  '_',
  '-',
  '"',
  '=',
  'é',
  '&',
  '#',
  'x',
  ';',
  '0',
  '1',
  '9',
  'amp',
  'nbsp',
  '<at>',
  '<at id="0">',
  '</at>',
  '</AT>',
  '<br/>',
  '<br >',
  '</p>',
  '</div>',
  '<b>',
  '&#x41;',
  '&#65;',
  'show AT-7F3K9QJ2',
);
const markup = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('Teams: reading a message as a command line', () => {
  it('reads every message as the regular expressions did, where they did not throw (property)', () => {
    fc.assert(
      fc.property(markup, (text) => {
        let expected: string | RangeError;
        // Refused or not, the reader must never throw.
        try {
          expected = referenceReading(text);
        } catch (err) {
          expected = err as RangeError;
        }
        const read = commandText(text);
        if (expected instanceof RangeError || unsafeCharacter(expected) !== undefined)
          expect(read.ok).toBe(false);
        else expect(read).toEqual({ ok: true, text: expected });
      }),
      { numRuns: 500 },
    );
  });

  it('names a character reference beyond Unicode instead of failing', () => {
    expect(commandText('accounts &#99999999;')).toEqual({
      ok: false,
      problem: { kind: 'character', character: '&#99999999;' },
    });
    expect(commandText('accounts &#x110000;')).toEqual({
      ok: false,
      problem: { kind: 'character', character: '&#x110000;' },
    });
    expect(commandText(`x &#${'9'.repeat(5000)};`)).toMatchObject({
      ok: false,
      problem: { kind: 'character', character: `&#${'9'.repeat(17)}…` },
    });
    // A character beyond the Basic Multilingual Plane, and zeros in front of one, still read.
    expect(commandText('&#x1F44D;&#0000065;')).toEqual({ ok: true, text: '👍A' });
    // A reference to a character no text may hold is named like the character itself.
    expect(commandText('accounts &#0;')).toEqual({
      ok: false,
      problem: { kind: 'character', character: 'U+0000' },
    });
    expect(commandText('&#xFFFE;')).toEqual({
      ok: false,
      problem: { kind: 'character', character: 'U+FFFE' },
    });
  });

  it('reads the longest message Teams allows, built to make a pattern backtrack, as plain text', () => {
    const filler = (unit: string) => unit.repeat(Math.floor(MAX_MESSAGE_LENGTH / unit.length));
    for (const unit of ['<a ', '<at>', '<at x', '</', '&#x', '<br   ', '&#1']) {
      const read = commandText(filler(unit));
      expect(read.ok).toBe(true);
    }
    expect(commandText(filler('<at>'))).toEqual({ ok: true, text: '' });
    expect(commandText(`${filler('<a ').slice(0, -3)}list`)).toEqual({
      ok: true,
      text: `${filler('<a ').slice(0, -4)} list`,
    });
  });

  it('refuses a message longer than Teams allows, before reading it', () => {
    const text = '<a '.repeat(100_000);
    expect(commandText(text)).toEqual({
      ok: false,
      problem: { kind: 'tooLong', length: 300_000, max: MAX_MESSAGE_LENGTH },
    });
  });
});
