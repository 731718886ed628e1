import { msg, type Msg } from '../i18n/msg.js';

/**
 * Text from outside — a typed line, a modal field, a card's data, a console line, a command-line
 * argument, a string in an inventory file — is checked here, once, before it reaches the core:
 *
 * - NUL (U+0000): PostgreSQL refuses it in text (error 22021), so it would fail deep inside a command;
 * - a lone surrogate (half of a UTF-16 pair): no UTF-8 encoder can write it, drivers silently replace it;
 * - a noncharacter (U+FFFE, U+FFFF, U+FDD0–U+FDEF, U+nFFFE/nFFFF): never meant for interchange;
 * - too much text: every surface has a size beyond which a message can only be a mistake or an attack.
 *
 * Every surface turns a problem into the same translated message, and nothing is changed.
 */
export type InputProblem =
  { kind: 'character'; character: string } | { kind: 'tooLong'; length: number; max: number };

/** What one chat message may hold: Teams' own limit is about 28 KB, and Slack's is lower. */
export const MAX_MESSAGE_LENGTH = 28_000;

// One character class, tried at each position once: linear in the text whatever it holds.
// With the `u` flag `\p{Cs}` matches only a surrogate that is not part of a pair.
const UNSAFE_CHARACTER = /[\0\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** `U+0000`, `U+D800`, `U+10FFFF`: how the message names the character, in every language. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Controls and invisible characters that would change how an echoed word shows (a right-to-left override
 * reverses the rest of the line; a zero-width space hides): none of them is refused, as they are not
 * unsafe to keep, but a text that shows someone's words back writes them as `U+202E`. The joiners that
 * emoji and several scripts need (U+200C, U+200D) are kept as they are.
 */
const DISGUISING =
  // eslint-disable-next-line no-control-regex -- the controls are what it looks for
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Someone's words as a message shows them back: what would disguise them named by code point. */
export function shownBack(text: string): string {
  return text.replace(DISGUISING, (c) => codePointName(c.codePointAt(0)!));
}

/**
 * A person's words as the record keeps them for others to read (a business justification, a reason, the
 * transferee company's legal name and address): line ends made one, and what would disguise them named by
 * code point as `shownBack` does, so no card, file or message shows another person's words reordered or
 * hidden (a right-to-left override inside a justification would reverse what the transferee reads).
 */
export function recordedText(text: string): string {
  return shownBack(text.replace(/\r\n?/gu, '\n'));
}

/** A field someone typed, trimmed, as the record keeps it (see `recordedText`); null when empty. */
export function recordedField(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? recordedText(trimmed) : null;
}

/**
 * A search as typed, in the forms the inventory writes: full-width letters and digits and half-width
 * katakana (a Japanese keyboard) as their usual forms (`ＤＮＡ` → `DNA`, `ｵｵｻｶ` → `オオサカ`).
 */
export function searchText(query: string | undefined): string | undefined {
  return query?.normalize('NFKC');
}

/** The first character this text may not hold, named, or undefined when there is none. */
export function unsafeCharacter(text: string): string | undefined {
  const found = UNSAFE_CHARACTER.exec(text);
  return found ? codePointName(found[0].codePointAt(0) ?? 0) : undefined;
}

/** Characters as people count them: a pair of surrogates (an emoji, a rare ideograph) is one. */
function codePointCount(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      count--;
      index++;
    }
  }
  return count;
}

/** What is wrong with one piece of text, if anything: first its length, then its characters. */
export function inputProblem(text: string, max: number = MAX_MESSAGE_LENGTH): InputProblem | undefined {
  // Counted only when it may matter: a text of no more UTF-16 units than the limit is within it.
  const length = text.length > max ? codePointCount(text) : text.length;
  if (length > max) return { kind: 'tooLong', length, max };
  const character = unsafeCharacter(text);
  return character === undefined ? undefined : { kind: 'character', character };
}

/** The message a person reads, in their language once translated. */
export function inputProblemMessage(problem: InputProblem): Msg {
  switch (problem.kind) {
    case 'character':
      return msg('input:error.character', { character: problem.character });
    case 'tooLong':
      return msg('input:error.tooLong', { length: problem.length, max: problem.max });
    default: {
      const never: never = problem;
      return never;
    }
  }
}

/** A problem found inside a structured payload, with where: `['value', 'data', 'reason']`. */
export interface FoundInputProblem {
  problem: InputProblem;
  path: (string | number)[];
}

interface Visit {
  node: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * Looks through a parsed payload (JSON: objects, arrays, strings, numbers) for text that fails
 * `inputProblem`, keys included. Walked with a stack, not recursion, so a deeply nested payload
 * cannot exhaust the call stack; each node is visited once and a path is only built for the node at
 * fault, so the cost is linear in the payload's size.
 */
export function inputProblemIn(
  value: unknown,
  max: number = MAX_MESSAGE_LENGTH,
): FoundInputProblem | undefined {
  const pending: Visit[] = [{ node: value, key: undefined, parent: undefined }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const { node } = visit;
    if (typeof node === 'string') {
      const problem = inputProblem(node, max);
      if (problem) return { problem, path: pathOf(visit) };
    } else if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index--)
        pending.push({ node: node[index] as unknown, key: index, parent: visit });
    } else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index]!;
        const problem = inputProblem(key, max);
        if (problem) return { problem, path: pathOf(visit) };
        pending.push({ node: child, key, parent: visit });
      }
    }
  }
  return undefined;
}

/**
 * What a platform's request may not hold, decided here for every surface, before anything in it is stored
 * or looked up (a request is recorded whole before its ack: src/app/durable-work.ts). In what a person
 * typed (`typed`), any problem; anywhere else in it (`whole`: names, ids, the platform's own fields, blocks
 * echoed back), an unsafe character, whatever the length, as a platform's own parts may be long. The typed
 * parts are looked at first, so a problem there is named where the person typed it.
 */
export function requestProblem(whole: unknown, typed: unknown): FoundInputProblem | undefined {
  return inputProblemIn(typed) ?? inputProblemIn(whole, Infinity);
}
