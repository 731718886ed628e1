import {
  formatAssetRef,
  parseAssetRef,
  parseWholeSelection,
  splitRefList,
  type AssetRef,
  type WholeSelection,
} from '../../commands/asset-ref.js';
import { closingQuote, tokenize, type Token } from '../../commands/tokenize.js';
import type { AssetSelection } from '../selection.js';
import { fold } from './choices.js';
import type { JourneyState } from './journey.js';

/**
 * The asset step's answer: references and whole selections (`ALL`, `VA:NAME`) as typed, as a draft keeps
 * them, and written back the way the step reads them.
 */

const REF_LIST_SEPARATOR = /[,，、\n]/u;

/**
 * Reads the asset step's answer: references (`SO:…`, `SN:…`, …) and whole selections — `ALL` (every
 * eligible asset of the source), `VA:NAME` (of one Virtual Account), each optionally followed by
 * `licenses` or `devices` — separated by commas. `licenses` or `devices` alone means `ALL licenses`.
 */
export function readAssetSelection(
  text: string,
  query?: string,
  earlier: readonly WholeSelection[] = [],
): { selection: AssetSelection } | { bad: string[] } {
  const refs = new Map<string, AssetRef>();
  const whole: WholeSelection[] = [];
  const bad: string[] = [];
  const narrowed = (selection: WholeSelection): WholeSelection => {
    // A selection already made keeps the search it was made with.
    const kept = earlier.find(
      (w) =>
        w.kind === selection.kind && fold(w.virtualAccount ?? '') === fold(selection.virtualAccount ?? ''),
    );
    if (kept) return { ...kept };
    return query ? { ...selection, query } : selection;
  };
  // A quoted name may hold a separator (`VA:"Paris, Lyon"`); an unclosed quote runs to the end.
  const quotedNameEnd = (start: number) => {
    const close = closingQuote(text, start);
    return close === undefined ? undefined : close === -1 ? text.length : close + 1;
  };
  for (const { text: part } of splitRefList(text, REF_LIST_SEPARATOR, quotedNameEnd)) {
    // Words as the one-line command reads them: `VA:"Campus Part-Dieu"` is the name without its quotes.
    const read = tokenize(part.normalize('NFKC'));
    if (!read.ok) {
      bad.push(part.trim());
      continue;
    }
    const words = read.tokens.map((token) => token.text);
    if (words.length === 0) continue;
    const selection = wholeOf(read.tokens);
    if (selection) {
      whole.push(narrowed(selection));
      continue;
    }
    for (const word of words) {
      const ref = parseAssetRef(word);
      if (!ref) {
        bad.push(word);
        continue;
      }
      const key = formatAssetRef(ref).toUpperCase();
      if (!refs.has(key)) refs.set(key, ref);
    }
  }
  if (bad.length > 0) return { bad };
  return { selection: { refs: [...refs.values()], whole } };
}

/**
 * A whole selection in one part of the answer: `VA:"Lab devices"` is the Virtual Account named in quotes,
 * narrowed only by a word after them (`VA:"Lab devices" licenses`); unquoted, the words read as one phrase
 * (`VA:Campus Part-Dieu devices`).
 */
function wholeOf(tokens: readonly Token[]): WholeSelection | undefined {
  const [first, kind, ...more] = tokens;
  // Quotes that begin after `VA:` (not `"VA:Lab devices"`, a phrase in quotes).
  if (first && first.bareLength >= 3 && first.bareLength < first.text.length && more.length === 0) {
    const named = parseWholeSelection(first.text, { nameQuoted: true });
    if (named?.virtualAccount !== undefined) {
      if (kind === undefined) return named;
      const narrowing = parseWholeSelection(kind.text);
      if (narrowing && Object.keys(narrowing).length === 1 && narrowing.kind)
        return { ...named, kind: narrowing.kind };
    }
  }
  return parseWholeSelection(tokens.map((token) => token.text).join(' '));
}

/** The stored form of a selection, read back by `selectionOf`. */
export function selectionOf(state: JourneyState): AssetSelection {
  return {
    refs: (state.assets?.refs ?? []).flatMap((text) => {
      const ref = parseAssetRef(text);
      return ref ? [ref] : [];
    }),
    whole: state.assets?.whole ?? [],
  };
}

/** A whole selection as the asset step reads it back (`ALL`, `VA:NAME`, optionally `licenses`/`devices`). */
export function formatWholeSelection(selection: WholeSelection): string {
  const name = selection.virtualAccount;
  const base = name === undefined ? 'ALL' : `VA:${quotedName(name)}`;
  return selection.kind ? `${base} ${selection.kind}` : base;
}

/**
 * A Virtual Account's name as the asset step reads it back as one name: in quotes when it holds a space or
 * a separator (`VA:"Lab devices"` is the account Lab devices, where `VA:Lab devices` is Lab's devices), or
 * a quote; in corner brackets when it holds a double quote.
 */
function quotedName(name: string): string {
  if (!NEEDS_QUOTES.test(name)) return name;
  return /["“”„]/u.test(name) ? `「${name}」` : `"${name}"`;
}

const NEEDS_QUOTES = /[\s,，、"“”„'‘’«»「」『』]/u;
