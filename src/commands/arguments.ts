import { z } from 'zod';
import type { AccountRef } from './command.js';
import { grammarError, type WordOnlyError } from './grammar-errors.js';
import type { Msg } from '../i18n/msg.js';
import { optionOf, type OptionToken, type Token } from './tokenize.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: Msg };

export function parsed<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** `SA` or `SA/VA`. The domain holds no slash, so the first one ends it; VA names may hold more. */
export function parseAccountRef(text: string): AccountRef | undefined {
  // A domain typed on a Japanese keyboard (`ｓａｋｕｒａｎｅｔ．ｃｏ．ｊｐ／ＤＥＦＡＵＬＴ`) is the domain; the
  // Virtual Account's name is kept as typed (names are matched as the inventory writes them).
  const slash = text.search(/[/／]/u);
  const smartAccount = (slash < 0 ? text : text.slice(0, slash)).normalize('NFKC').trim();
  if (smartAccount === '') return undefined;
  if (slash < 0) return { smartAccount };
  const virtualAccount = text.slice(slash + 1).trim();
  return virtualAccount === '' ? undefined : { smartAccount, virtualAccount };
}

/** A Smart Account alone, where a VA makes no sense (`list`, `use`, `export`). */
export function parseSmartAccount(token: Token): Parsed<string> {
  const account = parseAccountRef(token.text);
  if (account === undefined || account.virtualAccount !== undefined) {
    return grammarError('badAccount', { word: token.raw });
  }
  return parsed(account.smartAccount);
}

export function extraWords(token: Token, command: string): { ok: false; error: Msg } {
  return grammarError('extraWords', { word: token.raw, command });
}

/** The rest of the line as free text (`accounts acme france` searches for "acme france"). */
export function joinText(tokens: readonly Token[]): string | undefined {
  const text = tokens
    .map((token) => token.text.trim())
    .filter((word) => word !== '')
    .join(' ');
  return text === '' ? undefined : text;
}

export interface SplitArgs {
  plain: Token[];
  options: Map<string, OptionToken>;
}

/**
 * Separates `name:value` options from plain words, so options may come in any order. Option names
 * accept `_` for `-` because people type `same_company` too.
 */
export function splitOptions(
  tokens: readonly Token[],
  command: string,
  allowed: readonly string[],
): Parsed<SplitArgs> {
  const plain: Token[] = [];
  const options = new Map<string, OptionToken>();
  for (const token of tokens) {
    const option = optionOf(token);
    if (option === undefined) {
      plain.push(token);
      continue;
    }
    const name = option.name.replaceAll('_', '-');
    if (!allowed.includes(name)) {
      return grammarError('unknownOption', {
        word: `${option.name}:`,
        command,
        allowed: allowed.map((known) => `${known}:`).join(' '),
      });
    }
    if (options.has(name)) return grammarError('duplicateOption', { word: `${name}:` });
    if (option.value.trim() === '') return grammarError('missingOptionValue', { word: token.raw });
    options.set(name, { ...option, name });
  }
  return parsed({ plain, options });
}

/** Reads an option value with a parser, or names the value that was wrong. */
export function optionValue<T>(
  option: OptionToken,
  read: (value: string) => T | undefined,
  error: WordOnlyError,
): Parsed<T> {
  const value = read(option.value);
  return value === undefined ? grammarError(error, { word: option.value }) : parsed(value);
}

/** An e-mail address as typed, full-width characters (a Japanese keyboard) read as their ASCII forms. */
export const emailSchema = z
  .string()
  .transform((text) => text.normalize('NFKC').trim())
  .pipe(z.email());
