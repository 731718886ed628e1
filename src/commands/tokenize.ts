import type { Msg } from '../i18n/msg.js';
import { grammarError } from './grammar-errors.js';

export interface Token {
  /** The word with its quotes removed: the value the user meant. */
  text: string;
  /** The word as typed, quotes included, so an error can quote it back exactly. */
  raw: string;
  /**
   * Length of the unquoted start of `text`. Keywords and option names are only read there, so
   * `"list"` stays a search term and `justification:"a: b"` has one option name.
   */
  bareLength: number;
  /** The parts of `text` that were in quotes, each from its first character to the one after its last. */
  quoted: readonly QuotedSpan[];
}

export interface QuotedSpan {
  from: number;
  to: number;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: Msg };

// Phones and Slack replace straight quotes with typographic ones, and not always in matching pairs
// (“…“ and ”…” both happen), so any double quote closes any double quote. French users type
// guillemets and Japanese users corner brackets; both only close with their own partner.
const CLOSERS: ReadonlyMap<string, string> = new Map([
  ['"', '"“”'],
  ['“', '"“”'],
  ['”', '"“”'],
  ['„', '"“”'],
  ["'", "'’"],
  ['‘', "’'"],
  ['«', '»'],
  ['「', '」'],
  ['『', '』'],
]);

// A quote only opens at the start of a word or right after a separator; elsewhere it is an
// apostrophe (`O'Brien`, `don’t`) and stays part of the word.
const OPENS_AFTER = new Set([':', '：', '/', ',', '=']);

// Slack and Teams sometimes carry invisible characters in pasted text; they would make `show` fail.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

const WHITESPACE = /\s/u;

// A single quote doubles as an apostrophe (`'it’s ok'`), so it only closes where a word ends.
const APOSTROPHES = "'’";

function closesAt(input: string, index: number, closers: string): boolean {
  const ch = input.charAt(index);
  if (!closers.includes(ch)) return false;
  if (!APOSTROPHES.includes(ch)) return true;
  const next = input.charAt(index + 1);
  return next === '' || next === ',' || WHITESPACE.test(next);
}

/**
 * Where the quote opened at `open` closes (the closing quote's index), -1 when it is never closed, or
 * undefined when the character at `open` opens no quote.
 */
export function closingQuote(input: string, open: number): number | undefined {
  const closers = CLOSERS.get(input.charAt(open));
  if (closers === undefined) return undefined;
  let end = open + 1;
  while (end < input.length && !closesAt(input, end, closers)) end++;
  return end < input.length ? end : -1;
}

// A whole justification may follow an unclosed quote; its start is enough to find it.
function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Splits a chat line into words, shell-style: quoted parts may hold spaces and join the word around them. */
export function tokenize(line: string): TokenizeResult {
  const input = line.replace(INVISIBLE, '');
  const tokens: Token[] = [];
  let i = 0;

  while (i < input.length) {
    while (i < input.length && WHITESPACE.test(input.charAt(i))) i++;
    if (i >= input.length) break;

    const start = i;
    let text = '';
    let bareLength: number | undefined;
    const quoted: QuotedSpan[] = [];

    while (i < input.length && !WHITESPACE.test(input.charAt(i))) {
      const ch = input.charAt(i);
      const end = i === start || OPENS_AFTER.has(input.charAt(i - 1)) ? closingQuote(input, i) : undefined;
      if (end === -1) return grammarError('unclosedQuote', { word: shorten(input.slice(start).trim()) });
      if (end !== undefined) {
        bareLength ??= text.length;
        const from = text.length;
        text += input.slice(i + 1, end);
        quoted.push({ from, to: text.length });
        i = end + 1;
      } else {
        text += ch;
        i++;
      }
    }

    tokens.push({ text, raw: input.slice(start, i), bareLength: bareLength ?? text.length, quoted });
  }

  return { ok: true, tokens };
}

/** Folds full-width letters and case so `ＬＩＳＴ`, `List` and `list` are the same keyword. */
export function fold(word: string): string {
  return word.normalize('NFKC').toLowerCase();
}

/** The keyword a token spells, or undefined when any part of it was quoted. */
export function keywordOf(token: Token): string | undefined {
  return token.bareLength === token.text.length ? fold(token.text) : undefined;
}

export interface OptionToken {
  /** Folded option name, e.g. `same-company`. */
  name: string;
  value: string;
  token: Token;
}

const OPTION = /^([^:：]+)[:：]/u;
const OPTION_NAME = /^[a-z][a-z_-]*$/;

/** Reads `name:value` (a Japanese keyboard may type `：`); undefined when the token is a plain word. */
export function optionOf(token: Token): OptionToken | undefined {
  const match = OPTION.exec(token.text.slice(0, token.bareLength));
  if (match === null) return undefined;
  const name = fold(match[1] ?? '');
  if (!OPTION_NAME.test(name)) return undefined;
  return { name, value: token.text.slice(match[0].length), token };
}
