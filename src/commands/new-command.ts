import { z } from 'zod';
import {
  formatAssetRef,
  isAssetRefKind,
  majorLineOf,
  parseAssetRef,
  parseWholeSelection,
  splitRefList,
  VA_PREFIX_LENGTH,
  type AssetRef,
  type AssetTab,
  type WholeSelection,
} from './asset-ref.js';
import {
  emailSchema,
  extraWords,
  optionValue,
  parseAccountRef,
  parsed,
  splitOptions,
  type Parsed,
} from './arguments.js';
import {
  NEW_OPTIONS,
  type Command,
  type NewOption,
  type NewPrefill,
  type NewRequest,
  type ParseResult,
} from './command.js';
import { grammarError } from './grammar-errors.js';
import { fold, optionOf, type OptionToken, type QuotedSpan, type Token } from './tokenize.js';

function reader<T>(schema: z.ZodType<T>): (value: string) => T | undefined {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };
}

const readSameCompany = reader(
  z
    .string()
    .transform(fold)
    .pipe(z.enum(['yes', 'no']))
    .transform((answer) => answer === 'yes'),
);
const readEmail = reader(emailSchema);
const readTerms = reader(
  z
    .string()
    .transform(fold)
    .pipe(z.literal('accept'))
    .transform(() => true),
);
const readJustification = reader(z.string().trim().min(1));
const readPath = reader(z.string().trim().min(1).max(1024));

// Japanese and Chinese keyboards type their own commas between references.
const REF_SEPARATOR = /[,，、]/u;
const REF_START = /^[,，、]*([^:：]+)[:：]/u;

/** `SN:FOC…` or `SO:1-1,SN:FOC…` typed without `assets:` (or after a space that split the list). */
function isLooseRefList(token: Token): boolean {
  if (token.text.split(REF_SEPARATOR).every((part) => part.trim() === '')) return true;
  const match = REF_START.exec(token.text);
  return match !== null && isAssetRefKind(fold(match[1] ?? ''));
}

/** The asset references and whole selections typed, each once, in the order typed. */
interface Gathered {
  refs: Map<string, AssetRef>;
  whole: Map<string, WholeSelection>;
}

const wholeKey = (selection: WholeSelection) =>
  JSON.stringify([selection.virtualAccount?.toUpperCase() ?? null, selection.kind ?? null]);

/**
 * Adds the references of one `assets:` list. Returns the whole selection that ended the list when it
 * names no kind yet, so a following `licenses` or `devices` word can narrow it (`assets:ALL licenses`).
 */
function addAssetRefs(
  text: string,
  into: Gathered,
  /** The parts of `text` that were in quotes: a name from there on is all name. */
  quoted: readonly QuotedSpan[],
): Parsed<WholeSelection | undefined> {
  let open: WholeSelection | undefined;
  const quotedNameEnd = (start: number) => quoted.find((span) => span.from === start)?.to;
  for (const part of splitRefList(text, REF_SEPARATOR, quotedNameEnd)) {
    const word = part.text.trim();
    if (word === '') continue;
    const at = part.at + part.text.length - part.text.trimStart().length;
    const selection = parseWholeSelection(word, { nameQuoted: nameQuoted(at, word, quoted) });
    if (selection !== undefined) {
      const key = wholeKey(selection);
      if (!into.whole.has(key)) into.whole.set(key, selection);
      open = selection.kind === undefined ? selection : undefined;
      continue;
    }
    open = undefined;
    const ref = parseAssetRef(word);
    if (ref === undefined) {
      const major = majorLineOf(word);
      if (major !== undefined) return grammarError('minorLineRef', { word, line: formatAssetRef(major) });
      return grammarError('badAssetRef', { word });
    }
    // The same asset named twice is one asset: keep the first spelling.
    const key = formatAssetRef(ref).toUpperCase();
    if (!into.refs.has(key)) into.refs.set(key, ref);
  }
  return parsed(open);
}

/**
 * Whether quotes began in the Virtual Account's name of `word` (at `at` in its list), after `VA:`:
 * `VA:"Lab devices"` names one account, where `"VA:Lab devices"` is the phrase `VA:Lab devices`, the
 * account Lab narrowed to its devices.
 */
const nameQuoted = (at: number, word: string, quoted: readonly QuotedSpan[]) =>
  quoted.some((span) => span.from >= at + VA_PREFIX_LENGTH && span.from < at + word.length);

/** `licenses` or `devices` right after a list that ended in `ALL` or `VA:NAME`. */
function narrowLast(token: Token, open: WholeSelection | undefined, into: Gathered): boolean {
  if (open === undefined) return false;
  const kind = fold(token.text);
  if (kind !== 'licenses' && kind !== 'devices') return false;
  const key = wholeKey(open);
  const narrowed: WholeSelection = { ...open, kind: kind satisfies AssetTab };
  // Keep the order typed: the narrowed selection takes the place of the one it narrows.
  const entries = [...into.whole].map(([k, v]): [string, WholeSelection] =>
    k === key ? [wholeKey(narrowed), narrowed] : [k, v],
  );
  into.whole = new Map(entries);
  return true;
}

function readPrefill(
  options: ReadonlyMap<string, OptionToken>,
  { refs, whole }: Gathered,
): Parsed<NewPrefill> {
  const prefill: NewPrefill = {};
  const from = options.get('from');
  if (from !== undefined) {
    const source = optionValue(from, parseAccountRef, 'badAccount');
    if (!source.ok) return source;
    prefill.source = source.value;
  }
  const to = options.get('to');
  if (to !== undefined) {
    const destination = optionValue(to, parseAccountRef, 'badAccount');
    if (!destination.ok) return destination;
    prefill.destination = destination.value;
  }
  if (refs.size > 0) prefill.assets = [...refs.values()];
  if (whole.size > 0) prefill.whole = [...whole.values()];
  const assetsFile = options.get('assets-file');
  if (assetsFile !== undefined) {
    const path = readPath(assetsFile.value);
    if (path === undefined) return grammarError('missingOptionValue', { word: assetsFile.token.raw });
    prefill.assetsFile = path;
  }
  const sameCompany = options.get('same-company');
  if (sameCompany !== undefined) {
    const answer = optionValue(sameCompany, readSameCompany, 'badSameCompany');
    if (!answer.ok) return answer;
    prefill.sameCompany = answer.value;
  }
  const transferee = options.get('transferee');
  if (transferee !== undefined) {
    const email = optionValue(transferee, readEmail, 'badEmail');
    if (!email.ok) return email;
    prefill.transferee = email.value;
  }
  const justification = options.get('justification');
  if (justification !== undefined) {
    const text = readJustification(justification.value);
    if (text === undefined) return grammarError('missingOptionValue', { word: justification.token.raw });
    prefill.justification = text;
  }
  const transferor = options.get('transferor');
  if (transferor !== undefined) {
    const email = optionValue(transferor, readEmail, 'badEmail');
    if (!email.ok) return email;
    prefill.transferor = email.value;
  }
  const terms = options.get('terms');
  if (terms !== undefined) {
    const accepted = optionValue(terms, readTerms, 'badTerms');
    if (!accepted.ok) return accepted;
    prefill.termsAccepted = accepted.value;
  }
  return parsed(prefill);
}

/** What the wizard still has to ask for, in the order it asks. */
function missingFrom(prefill: NewPrefill): NewOption[] {
  const missing: NewOption[] = [];
  if (prefill.source === undefined) missing.push('from');
  if (prefill.destination?.virtualAccount === undefined) missing.push('to');
  if (prefill.assets === undefined && prefill.whole === undefined && prefill.assetsFile === undefined)
    missing.push('assets');
  if (prefill.sameCompany === undefined) missing.push('same-company');
  // The transfer request form is only required between different legal entities.
  if (prefill.sameCompany === false) missing.push(...missingFormOptions(prefill));
  return missing;
}

/**
 * The transfer request form's options not given: asked when the request is between legal entities, as
 * answered, or as the inventory says whatever `same-company` said.
 */
export function missingFormOptions(prefill: NewPrefill): NewOption[] {
  const missing: NewOption[] = [];
  if (prefill.transferee === undefined) missing.push('transferee');
  if (prefill.justification === undefined) missing.push('justification');
  if (prefill.termsAccepted !== true) missing.push('terms');
  return missing;
}

function toRequest(prefill: NewPrefill): NewRequest | undefined {
  const { source, destination, assets = [], whole = [], assetsFile, sameCompany } = prefill;
  const destinationVa = destination?.virtualAccount;
  if (
    source === undefined ||
    destination === undefined ||
    destinationVa === undefined ||
    (assets.length === 0 && whole.length === 0 && assetsFile === undefined)
  ) {
    return undefined;
  }
  const base = {
    source,
    destination: { smartAccount: destination.smartAccount, virtualAccount: destinationVa },
    assets,
    ...(whole.length > 0 ? { whole } : {}),
    ...(assetsFile !== undefined ? { assetsFile } : {}),
  };
  const { transferee, justification, termsAccepted, transferor } = prefill;
  const given = {
    ...(transferee !== undefined ? { transferee } : {}),
    ...(justification !== undefined ? { justification } : {}),
    ...(termsAccepted !== undefined ? { termsAccepted } : {}),
    ...(transferor !== undefined ? { transferor } : {}),
  };
  // Everything given is passed on: a "yes" the inventory contradicts needs the form after all.
  if (sameCompany === true) return { ...base, ...given, sameCompany };
  if (
    sameCompany === false &&
    transferee !== undefined &&
    justification !== undefined &&
    termsAccepted === true
  ) {
    return { ...base, ...given, sameCompany, transferee, justification, termsAccepted };
  }
  return undefined;
}

/**
 * `new` alone opens the wizard; with options it is the whole request in one line. Anything missing
 * is not an error: the wizard opens with what was given, so a long line is never typed in vain.
 */
export function parseNew(tokens: readonly Token[]): ParseResult {
  const gathered: Gathered = { refs: new Map(), whole: new Map() };
  const rest: Token[] = [];
  let open: WholeSelection | undefined;
  // References are gathered in the order typed, whether listed in `assets:` (which may repeat) or loose.
  for (const token of tokens) {
    if (narrowLast(token, open, gathered)) {
      open = undefined;
      continue;
    }
    open = undefined;
    const option = optionOf(token);
    let list: string;
    if (option?.name === 'assets') {
      if (option.value.trim() === '') return grammarError('missingOptionValue', { word: token.raw });
      list = option.value;
    } else if (isLooseRefList(token)) {
      list = token.text;
    } else {
      rest.push(token);
      continue;
    }
    // The list is the end of the token's text: its quoted parts, counted from where it starts.
    const offset = token.text.length - list.length;
    const quoted = token.quoted.map((span) => ({ from: span.from - offset, to: span.to - offset }));
    const added = addAssetRefs(list, gathered, quoted);
    if (!added.ok) return added;
    open = added.value;
  }

  const split = splitOptions(rest, 'new', NEW_OPTIONS);
  if (!split.ok) return split;
  const [stray] = split.value.plain;
  if (stray !== undefined) return extraWords(stray, 'new');

  const prefill = readPrefill(split.value.options, gathered);
  if (!prefill.ok) return prefill;

  return { ok: true, command: newCommandOf(prefill.value) };
}

/** The request when everything it needs is given, else the wizard prefilled with what is. */
export function newCommandOf(prefill: NewPrefill): Extract<Command, { type: 'new' }> {
  const missing = missingFrom(prefill);
  const request = missing.length === 0 ? toRequest(prefill) : undefined;
  if (request !== undefined) return { type: 'new', complete: true, request };
  return { type: 'new', complete: false, prefill, missing };
}
