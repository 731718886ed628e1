import { msg, type Msg } from '../i18n/msg.js';
import { shownBack } from '../text/input-check.js';

/**
 * Every error the grammar can return, with the interpolation variables its text uses. The catalogs
 * in `src/i18n/locales/<lng>/grammar.json` are tested against this list, so a new error cannot ship
 * untranslated. `word` is always the word as the user typed it.
 */
export const GRAMMAR_ERRORS = {
  unknownCommand: ['word'],
  unknownOption: ['word', 'command', 'allowed'],
  duplicateOption: ['word'],
  missingOptionValue: ['word'],
  unclosedQuote: ['word'],
  extraWords: ['word', 'command'],
  badAssetRef: ['word'],
  minorLineRef: ['word', 'line'],
  badTransactionId: ['word'],
  badStatus: ['word', 'allowed'],
  badAccount: ['word'],
  badSameCompany: ['word'],
  badEmail: ['word'],
  badTerms: ['word'],
  badDecision: ['word', 'command'],
  missingTransactionId: ['command', 'usage'],
  missingSmartAccount: ['command', 'usage'],
  missingDecision: ['command', 'usage'],
  missingPerson: ['command', 'usage'],
  badPersonEmail: ['word'],
  missingRole: ['command', 'usage'],
  badRole: ['word'],
} as const satisfies Record<string, readonly string[]>;

export type GrammarError = keyof typeof GRAMMAR_ERRORS;

export type GrammarErrorParams<K extends GrammarError> = Record<(typeof GRAMMAR_ERRORS)[K][number], string>;

/** The errors whose text needs nothing but the offending word. */
export type WordOnlyError = {
  [K in GrammarError]: (typeof GRAMMAR_ERRORS)[K] extends readonly ['word'] ? K : never;
}[GrammarError];

export const GRAMMAR_NAMESPACE = 'grammar';

export function grammarError<K extends GrammarError>(
  key: K,
  params: GrammarErrorParams<K>,
): { ok: false; error: Msg } {
  // Words are shown back as typed, except what would disguise them (a right-to-left override …).
  const shown = Object.fromEntries(
    Object.entries(params as Record<string, string>).map(([name, value]) => [name, shownBack(value)]),
  );
  return { ok: false, error: msg(`${GRAMMAR_NAMESPACE}:error.${key}`, shown) };
}
