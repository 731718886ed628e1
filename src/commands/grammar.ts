import type { Msg } from '../i18n/msg.js';
import { STATUSES, type Status } from '../domain/status.js';
import { LOCALES, statusLabel } from '../i18n/index.js';
import { inputProblem, inputProblemMessage, MAX_MESSAGE_LENGTH } from '../text/input-check.js';
import {
  extraWords,
  joinText,
  parseAccountRef,
  parsed,
  parseSmartAccount,
  splitOptions,
  type Parsed,
} from './arguments.js';
import {
  isCommandWord,
  isGuideTopic,
  USAGE,
  type Command,
  type CommandWord,
  type Decision,
  type ParseResult,
} from './command.js';
import { grammarError } from './grammar-errors.js';
import { parseNew } from './new-command.js';
import { parseRoleCommand } from './role-command.js';
import { fold, keywordOf, tokenize, type Token } from './tokenize.js';
import { looksLikeTransactionId, parseTransactionId } from './transaction-id.js';

export type { ParseResult } from './command.js';

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

function usageOf(word: CommandWord): string {
  return USAGE[word].join('\n');
}

/** The first argument of `show`, `submit`, … : present and well-formed, or an error naming it. */
function transactionIdAt(tokens: readonly Token[], command: CommandWord): Parsed<string> {
  const [first] = tokens;
  if (first === undefined) return grammarError('missingTransactionId', { command, usage: usageOf(command) });
  const id = parseTransactionId(first.text);
  return id === undefined ? grammarError('badTransactionId', { word: first.raw }) : parsed(id);
}

function parseHelp(tokens: readonly Token[]): ParseResult {
  const [topic, extra] = tokens;
  if (extra !== undefined) return extraWords(extra, 'help');
  if (topic === undefined) return ok({ type: 'help' });
  const word = keywordOf(topic);
  if (word !== undefined && isGuideTopic(word)) return ok({ type: 'guide', topic: word });
  if (word === undefined || !isCommandWord(word)) return grammarError('unknownCommand', { word: topic.raw });
  return ok({ type: 'help', topic: word });
}

function parseAccounts(tokens: readonly Token[]): ParseResult {
  const query = joinText(tokens);
  return ok(query === undefined ? { type: 'accounts' } : { type: 'accounts', query });
}

// Maps, not object literals: a word like `constructor` must not find something on Object.prototype.
const TABS: ReadonlyMap<string, 'licenses' | 'devices'> = new Map([
  ['licenses', 'licenses'],
  ['license', 'licenses'],
  ['devices', 'devices'],
  ['device', 'devices'],
]);

function parseAssets(tokens: readonly Token[]): ParseResult {
  const [first, maybeTab, ...rest] = tokens;
  if (first === undefined)
    return grammarError('missingSmartAccount', { command: 'assets', usage: usageOf('assets') });
  const account = parseAccountRef(first.text);
  if (account === undefined) return grammarError('badAccount', { word: first.raw });
  const tab = maybeTab === undefined ? undefined : TABS.get(keywordOf(maybeTab) ?? '');
  const query = joinText(tab === undefined ? tokens.slice(1) : rest);
  return ok({
    type: 'assets',
    account,
    ...(tab === undefined ? {} : { tab }),
    ...(query === undefined ? {} : { query }),
  });
}

/**
 * A status word compared without case, accents, or the difference between hyphens, underscores and
 * spaces: `Transfer-Completed`, `transfer completed` and `transfer_completed` are one word, as are
 * `Annulé` and `annule`.
 */
function statusWord(text: string): string {
  return fold(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/gu, '')
    .normalize('NFC')
    .trim()
    .replace(/[\p{Pd}_\s]+/gu, '_');
}

let statusWords: ReadonlyMap<string, Status> | undefined;

/**
 * Every status by its key and by its label in each of the bot's languages, so people may type the status
 * as they read it (`status:Annulé`, `status:"Transfer Completed"`, `status:キャンセル済み`). A label that two
 * statuses would share names neither; keys always win.
 */
function knownStatusWords(): ReadonlyMap<string, Status> {
  if (statusWords !== undefined) return statusWords;
  const byLabel = new Map<string, Status | null>();
  for (const status of STATUSES)
    for (const locale of LOCALES) {
      const word = statusWord(statusLabel(locale, status));
      const known = byLabel.get(word);
      byLabel.set(word, known === undefined || known === status ? status : null);
    }
  const words = new Map<string, Status>();
  for (const [word, status] of byLabel) if (status !== null) words.set(word, status);
  for (const status of STATUSES) words.set(statusWord(status), status);
  statusWords = words;
  return words;
}

/**
 * A status as typed, in the chat (`list status:KEY`) or on the command line (`--status KEY`): its key or
 * its whole label in any of the bot's languages. Otherwise the message that names every status, each by
 * its label in the reader's language and its key.
 */
export function statusOf(word: string): { ok: true; value: Status } | { ok: false; error: Msg } {
  const status = knownStatusWords().get(statusWord(word));
  if (status !== undefined) return { ok: true, value: status };
  return grammarError('badStatus', { word, allowed: STATUSES.join(', ') });
}

function parseList(tokens: readonly Token[]): ParseResult {
  const split = splitOptions(tokens, 'list', ['status', 'before', 'after']);
  if (!split.ok) return split;
  const [account, extra] = split.value.plain;
  if (extra !== undefined) return extraWords(extra, 'list');

  let status: Status | undefined;
  const statusOption = split.value.options.get('status');
  if (statusOption !== undefined) {
    const known = statusOf(statusOption.value);
    if (!known.ok) return known;
    status = known.value;
  }

  // before:ID / after:ID: the page of older / newer transactions next to that one.
  const page: { before?: string; after?: string } = {};
  for (const side of ['before', 'after'] as const) {
    const option = split.value.options.get(side);
    if (option === undefined) continue;
    const id = parseTransactionId(option.value);
    if (id === undefined) return grammarError('badTransactionId', { word: option.value });
    page[side] = id;
  }

  let smartAccount: string | undefined;
  if (account !== undefined) {
    const parsedAccount = parseSmartAccount(account);
    if (!parsedAccount.ok) return parsedAccount;
    smartAccount = parsedAccount.value;
  }
  return ok({
    type: 'list',
    ...(smartAccount === undefined ? {} : { smartAccount }),
    ...(status === undefined ? {} : { status }),
    ...page,
  });
}

function parseById(type: 'show' | 'submit' | 'cancel' | 'retry') {
  return (tokens: readonly Token[]): ParseResult => {
    const id = transactionIdAt(tokens, type);
    if (!id.ok) return id;
    const [, extra] = tokens;
    if (extra !== undefined) return extraWords(extra, type);
    return ok({ type, transactionId: id.value });
  };
}

const DECISIONS: ReadonlyMap<string, Decision> = new Map([
  ['approve', 'approve'],
  ['reject', 'reject'],
]);

function parseDecision(type: 'consent' | 'screen') {
  return (tokens: readonly Token[]): ParseResult => {
    const split = splitOptions(tokens, type, ['reason']);
    if (!split.ok) return split;
    const { plain, options } = split.value;
    const id = transactionIdAt(plain, type);
    if (!id.ok) return id;
    const [, decisionWord, extra] = plain;
    if (decisionWord === undefined)
      return grammarError('missingDecision', { command: type, usage: usageOf(type) });
    const decision = DECISIONS.get(keywordOf(decisionWord) ?? '');
    if (decision === undefined) return grammarError('badDecision', { word: decisionWord.raw, command: type });
    if (extra !== undefined) return extraWords(extra, type);
    // Kept on approve too: it costs nothing and the audit history has room for it.
    const reason = options.get('reason')?.value.trim();
    return ok({ type, transactionId: id.value, decision, ...(reason ? { reason } : {}) });
  };
}

function parseExport(tokens: readonly Token[]): ParseResult {
  const [target, extra] = tokens;
  if (extra !== undefined) return extraWords(extra, 'export');
  if (target === undefined) return ok({ type: 'export' });
  if (looksLikeTransactionId(target.text)) {
    const transactionId = parseTransactionId(target.text);
    if (transactionId === undefined) return grammarError('badTransactionId', { word: target.raw });
    return ok({ type: 'export', target: { kind: 'transaction', transactionId } });
  }
  const smartAccount = parseSmartAccount(target);
  if (!smartAccount.ok) return smartAccount;
  return ok({ type: 'export', target: { kind: 'smartAccount', smartAccount: smartAccount.value } });
}

function parseUse(tokens: readonly Token[]): ParseResult {
  const [account, extra] = tokens;
  if (account === undefined)
    return grammarError('missingSmartAccount', { command: 'use', usage: usageOf('use') });
  if (extra !== undefined) return extraWords(extra, 'use');
  const smartAccount = parseSmartAccount(account);
  if (!smartAccount.ok) return smartAccount;
  return ok({ type: 'use', smartAccount: smartAccount.value });
}

const PARSERS: Readonly<Record<CommandWord, (tokens: readonly Token[]) => ParseResult>> = {
  help: parseHelp,
  accounts: parseAccounts,
  assets: parseAssets,
  new: parseNew,
  list: parseList,
  show: parseById('show'),
  submit: parseById('submit'),
  cancel: parseById('cancel'),
  consent: parseDecision('consent'),
  screen: parseDecision('screen'),
  retry: parseById('retry'),
  export: parseExport,
  use: parseUse,
  grant: parseRoleCommand('grant'),
  revoke: parseRoleCommand('revoke'),
};

// Teams users address the bot as `transfer list`, console users copy `/transfer list` from Slack docs.
const LEADING_WORDS = new Set(['transfer', '/transfer']);

/**
 * Parses one line typed in Slack (`/transfer …`), Teams or the console into a command. Keywords are
 * case-insensitive, values may be quoted. An empty line asks for help. A line too long for any chat, or
 * holding a character the bot cannot store (NUL, a lone surrogate …), is refused before it is read.
 */
export function parseCommand(text: string): ParseResult {
  const problem = inputProblem(text, MAX_MESSAGE_LENGTH);
  if (problem) return { ok: false, error: inputProblemMessage(problem) };
  const tokenized = tokenize(text);
  if (!tokenized.ok) return tokenized;
  let tokens = tokenized.tokens;
  const [lead] = tokens;
  if (lead !== undefined && LEADING_WORDS.has(keywordOf(lead) ?? '')) tokens = tokens.slice(1);

  const [head, ...rest] = tokens;
  if (head === undefined) return ok({ type: 'help' });
  const word = keywordOf(head);
  if (word === undefined || !isCommandWord(word)) return grammarError('unknownCommand', { word: head.raw });
  return PARSERS[word](rest);
}
