import { z } from 'zod';

/**
 * How a person names an asset in a command. A sales order without a line means every
 * major line of it; a line always moves with all its minor lines, so minor lines cannot be named.
 */
export type AssetRef =
  | { kind: 'so'; salesOrder: string; line?: string }
  | { kind: 'sn'; serial: string }
  | { kind: 'sub'; id: string }
  | { kind: 'pak'; id: string }
  | { kind: 'wo'; id: string };

export type AssetRefKind = AssetRef['kind'];

export type AssetTab = 'licenses' | 'devices';

/** Every eligible asset of the source, or of one of its Virtual Accounts, perhaps of one kind, perhaps matching a search. */
export interface WholeSelection {
  virtualAccount?: string;
  kind?: AssetTab;
  query?: string;
}

const WHOLE = /^(?:(all)|va[:：](.+?))(?:\s+(licenses|devices))?$/iu;
const KIND_ONLY = /^(licenses|devices)$/iu;
const QUOTED_VA = /^va[:：](.+)$/iu;

/**
 * Reads a whole selection: `ALL` (every eligible asset of the source), `VA:NAME` (of one Virtual Account),
 * each optionally followed by `licenses` or `devices`; `licenses` or `devices` alone means `ALL licenses`.
 */
export function parseWholeSelection(
  text: string,
  /**
   * The name was written in quotes (`VA:"Lab devices"`): all of it is the name, a last word `licenses` or
   * `devices` included, which only narrows a selection outside the quotes.
   */
  { nameQuoted = false }: { nameQuoted?: boolean } = {},
): WholeSelection | undefined {
  const phrase = text.normalize('NFKC').trim().replace(/\s+/gu, ' ');
  const kindOnly = KIND_ONLY.exec(phrase);
  if (kindOnly) return { kind: kindOnly[1]!.toLowerCase() as AssetTab };
  const quoted = nameQuoted ? QUOTED_VA.exec(phrase) : null;
  if (quoted) return { virtualAccount: quoted[1]!.trim() };
  const match = WHOLE.exec(phrase);
  if (!match) return undefined;
  const selection: WholeSelection = {};
  if (!match[1]) selection.virtualAccount = match[2]!.trim();
  if (match[3]) selection.kind = match[3].toLowerCase() as AssetTab;
  return selection;
}

/** One entry of a list of references, as typed (not trimmed), and where in the list it starts. */
export interface ListPart {
  text: string;
  at: number;
}

/**
 * Splits a list of references and whole selections at its separators, except inside a Virtual Account's
 * name written in quotes right after `VA:` (`VA:"Paris, Lyon"` is one account). `quotedNameEnd(start)`
 * says where a quoted name that begins at `start` ends (the index after it), or undefined when none does.
 */
export function splitRefList(
  list: string,
  separator: RegExp,
  quotedNameEnd: (start: number) => number | undefined,
): ListPart[] {
  const next = new RegExp(separator.source, 'gu');
  const parts: ListPart[] = [];
  let start = 0;
  for (;;) {
    let at = start;
    while (at < list.length && SPACE.test(list.charAt(at))) at++;
    next.lastIndex = start;
    if (VA_PREFIX.test(list.slice(at, at + VA_PREFIX_LENGTH).normalize('NFKC'))) {
      next.lastIndex = Math.max(start, quotedNameEnd(at + VA_PREFIX_LENGTH) ?? start);
    }
    const found = next.exec(list);
    const end = found ? found.index : list.length;
    parts.push({ text: list.slice(start, end), at: start });
    if (!found) return parts;
    start = end + found[0].length;
  }
}

/** `VA:` or `VA：`, the start of a Virtual Account's name in a list. */
export const VA_PREFIX_LENGTH = 3;
const VA_PREFIX = /^va[:：]$/iu;
const SPACE = /\s/u;

export const ASSET_REF_KINDS: readonly AssetRefKind[] = ['so', 'sn', 'sub', 'pak', 'wo'];

export function isAssetRefKind(value: string): value is AssetRefKind {
  return (ASSET_REF_KINDS as readonly string[]).includes(value);
}

const REF = /^([^:：]+)[:：](.*)$/su;
const SALES_ORDER = /^(\d+)(?:-(\d+))?$/;
// Commas separate references in `assets:`, and a space would have ended the word, so neither is an id.
const OPAQUE_ID = /^[^\s,]+$/u;

/**
 * Reads `SO:104857601-1`, `SO:104857601`, `SN:FOC2231X0AB`, `SUB:…`, `PAK:…` or `WO:…`.
 * The prefix is case-insensitive; values are kept as typed (serials are matched case-insensitively
 * where they are looked up, so their case carries no meaning here).
 */
export function parseAssetRef(text: string): AssetRef | undefined {
  const match = REF.exec(text.trim());
  if (match === null) return undefined;
  const kind = (match[1] ?? '').normalize('NFKC').trim().toLowerCase();
  const value = (match[2] ?? '').trim();

  if (kind === 'so') {
    // Full-width digits come from Japanese input methods; sales orders are plain numbers.
    const so = SALES_ORDER.exec(value.normalize('NFKC'));
    if (so === null) return undefined;
    const salesOrder = so[1] ?? '';
    const line = so[2];
    return line === undefined ? { kind, salesOrder } : { kind, salesOrder, line };
  }
  if (!OPAQUE_ID.test(value)) return undefined;
  switch (kind) {
    case 'sn':
      return { kind: 'sn', serial: value };
    case 'sub':
    case 'pak':
    case 'wo':
      return { kind, id: value };
    default:
      return undefined;
  }
}

const MINOR_LINE = /^(\d+)-(\d+)\.\d+$/;

/**
 * The major line that a minor line such as `SO:104875519-1.1` belongs to, or undefined when the text
 * does not name a minor line. A minor line never moves alone, so this is what to suggest instead.
 */
export function majorLineOf(text: string): AssetRef | undefined {
  const match = REF.exec(text.trim());
  if (match === null) return undefined;
  if ((match[1] ?? '').normalize('NFKC').trim().toLowerCase() !== 'so') return undefined;
  const line = MINOR_LINE.exec((match[2] ?? '').trim().normalize('NFKC'));
  if (line === null) return undefined;
  return { kind: 'so', salesOrder: line[1] ?? '', line: line[2] ?? '' };
}

/** The canonical text of a reference, the one replies, exports and `show --json` print. */
export function formatAssetRef(ref: AssetRef): string {
  switch (ref.kind) {
    case 'so':
      return ref.line === undefined ? `SO:${ref.salesOrder}` : `SO:${ref.salesOrder}-${ref.line}`;
    case 'sn':
      return `SN:${ref.serial}`;
    case 'sub':
      return `SUB:${ref.id}`;
    case 'pak':
      return `PAK:${ref.id}`;
    case 'wo':
      return `WO:${ref.id}`;
    default: {
      const unreachable: never = ref;
      return unreachable;
    }
  }
}

/** For payloads that carry a reference as text (modal values, button values, JSON). */
export const assetRefSchema = z.string().transform((text, ctx): AssetRef => {
  const ref = parseAssetRef(text);
  if (ref === undefined) {
    ctx.addIssue({ code: 'custom', message: `not an asset reference: ${text}` });
    return z.NEVER;
  }
  return ref;
});
