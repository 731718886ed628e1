import type { AccountRole } from '../domain/roles.js';
import type { Status } from '../domain/status.js';
import type { GlobalRole } from '../domain/types.js';
import type { Msg } from '../i18n/msg.js';
import type { AssetRef, WholeSelection } from './asset-ref.js';

/** The first word of every command, in the order help lists them. */
export const COMMAND_WORDS = [
  'help',
  'accounts',
  'assets',
  'new',
  'list',
  'show',
  'submit',
  'cancel',
  'consent',
  'screen',
  'retry',
  'export',
  'use',
  'grant',
  'revoke',
] as const;

export type CommandWord = (typeof COMMAND_WORDS)[number];

/** The help topics that are not commands: what each status means, and where to get help. */
export const GUIDE_TOPICS = ['statuses', 'support'] as const;
export type GuideTopic = (typeof GUIDE_TOPICS)[number];

export function isGuideTopic(value: string): value is GuideTopic {
  return (GUIDE_TOPICS as readonly string[]).includes(value);
}

export function isCommandWord(value: string): value is CommandWord {
  return (COMMAND_WORDS as readonly string[]).includes(value);
}

/**
 * The syntax of each command. Keywords are the same in every language, so this lives in code and
 * only the descriptions (`grammar:help.<word>`) are translated.
 */
export const USAGE: Readonly<Record<CommandWord, readonly string[]>> = {
  help: ['help [COMMAND]', 'help statuses', 'help support'],
  accounts: ['accounts [QUERY]'],
  assets: ['assets SA[/VA] [licenses|devices] [QUERY]'],
  new: [
    'new',
    'new from:SA[/VA] to:SA/VA assets:REF|ALL|VA:NAME[,…] [licenses|devices] same-company:yes|no [transferee:EMAIL] [justification:"…"] [terms:accept] [transferor:EMAIL]',
    'new from:SA[/VA] [to:SA/VA] assets-file:PATH [same-company:yes|no …]',
  ],
  list: ['list [SA] [status:KEY]'],
  show: ['show ID'],
  submit: ['submit ID'],
  cancel: ['cancel ID'],
  consent: ['consent ID approve|reject [reason:"…"]'],
  screen: ['screen ID approve|reject [reason:"…"]'],
  retry: ['retry ID'],
  export: ['export [SA|ID]'],
  use: ['use SA'],
  grant: ['grant EMAIL admin|user SA', 'grant EMAIL compliance|licensing_ops|bot_admin'],
  revoke: ['revoke EMAIL admin|user SA', 'revoke EMAIL compliance|licensing_ops|bot_admin'],
};

/** A Smart Account by domain, optionally narrowed to one of its Virtual Accounts by name. */
export interface AccountRef {
  smartAccount: string;
  virtualAccount?: string;
}

/** The options of the one-line `new`; also the names the wizard reports as still missing. */
export const NEW_OPTIONS = [
  'from',
  'to',
  'assets',
  'assets-file',
  'same-company',
  'transferee',
  'justification',
  'terms',
  'transferor',
] as const;

export type NewOption = (typeof NEW_OPTIONS)[number];

/** What a one-line `new` gave, to prefill the wizard when something is still missing. */
export interface NewPrefill {
  source?: AccountRef;
  destination?: AccountRef;
  assets?: AssetRef[];
  /** `ALL`, `VA:NAME`, perhaps narrowed to `licenses` or `devices`: every eligible asset they cover. */
  whole?: WholeSelection[];
  /** `assets-file:PATH`: a CSV or Excel file of references on the console's machine. */
  assetsFile?: string;
  sameCompany?: boolean;
  transferee?: string;
  justification?: string;
  termsAccepted?: boolean;
  transferor?: string;
}

interface NewRequestBase {
  source: AccountRef;
  destination: Required<AccountRef>;
  /** Named assets and whole selections; at least one of the two is not empty. */
  assets: AssetRef[];
  whole?: WholeSelection[];
  /** `assets-file:PATH`: a CSV or Excel file of references, read before anything is checked. */
  assetsFile?: string;
  /** On a partner's request, the transferor asked to consent; none named asks every eligible one. */
  transferor?: string;
}

/**
 * A request the core can validate as it stands: no wizard needed. On "same company" the form's fields
 * are kept when given: the inventory may show two legal entities, and then they are needed.
 */
export type NewRequest =
  | (NewRequestBase & {
      sameCompany: true;
      transferee?: string;
      justification?: string;
      termsAccepted?: boolean;
    })
  | (NewRequestBase & {
      sameCompany: false;
      transferee: string;
      justification: string;
      termsAccepted: true;
    });

export type Decision = 'approve' | 'reject';

export type ExportTarget =
  { kind: 'smartAccount'; smartAccount: string } | { kind: 'transaction'; transactionId: string };

/** A role a bot admin grants or takes away: on a Smart Account (by domain), or global. */
export type RoleTarget =
  { email: string; role: AccountRole; smartAccount: string } | { email: string; role: GlobalRole };

/**
 * One parsed chat command. Transaction ids are upper case; other values are as typed. Business rules
 * (who may, whether a reject has its reason, whether SA and VA exist) are the core's to check.
 */
export type Command =
  | { type: 'help'; topic?: CommandWord }
  | { type: 'guide'; topic: GuideTopic }
  | { type: 'accounts'; query?: string }
  | { type: 'assets'; account: AccountRef; tab?: 'licenses' | 'devices'; query?: string }
  | { type: 'new'; complete: false; prefill: NewPrefill; missing: NewOption[] }
  | { type: 'new'; complete: true; request: NewRequest }
  | { type: 'list'; smartAccount?: string; status?: Status; before?: string; after?: string }
  | { type: 'show'; transactionId: string }
  | { type: 'submit'; transactionId: string }
  | { type: 'cancel'; transactionId: string }
  | { type: 'consent'; transactionId: string; decision: Decision; reason?: string }
  | { type: 'screen'; transactionId: string; decision: Decision; reason?: string }
  | { type: 'retry'; transactionId: string }
  | { type: 'export'; target?: ExportTarget }
  | { type: 'use'; smartAccount: string }
  | { type: 'grant' | 'revoke'; target: RoleTarget };

export type CommandType = Command['type'];

/** The outcome of parsing one chat line: a command, or the message that says which word was wrong. */
export type ParseResult = { ok: true; command: Command } | { ok: false; error: Msg };
