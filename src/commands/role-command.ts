import { ROLES, isAccountRole, type Role } from '../domain/roles.js';
import { emailSchema, extraWords, parseSmartAccount } from './arguments.js';
import { USAGE, type ParseResult } from './command.js';
import { grammarError } from './grammar-errors.js';
import { keywordOf, type Token } from './tokenize.js';

function roleOf(token: Token): Role | undefined {
  // `licensing-ops` is read as `licensing_ops`, as option names read `same_company` as `same-company`.
  const word = keywordOf(token)?.replaceAll('-', '_');
  return ROLES.find((role) => role === word);
}

/**
 * `grant EMAIL ROLE [SA]` and `revoke EMAIL ROLE [SA]`: an admin or user role names its Smart Account,
 * a global role none. Whether the person and the account exist, and who may, is the core's to check.
 */
export function parseRoleCommand(type: 'grant' | 'revoke') {
  return (tokens: readonly Token[]): ParseResult => {
    const usage = USAGE[type].join('\n');
    const [person, roleWord, account, extra] = tokens;
    if (person === undefined) return grammarError('missingPerson', { command: type, usage });
    const read = emailSchema.safeParse(person.text);
    if (!read.success) return grammarError('badPersonEmail', { word: person.raw });
    const email = read.data;
    if (roleWord === undefined) return grammarError('missingRole', { command: type, usage });
    const role = roleOf(roleWord);
    if (role === undefined) return grammarError('badRole', { word: roleWord.text });
    if (!isAccountRole(role)) {
      if (account !== undefined) return extraWords(account, type);
      return { ok: true, command: { type, target: { email, role } } };
    }
    if (account === undefined) return grammarError('missingSmartAccount', { command: type, usage });
    if (extra !== undefined) return extraWords(extra, type);
    const smartAccount = parseSmartAccount(account);
    if (!smartAccount.ok) return smartAccount;
    return { ok: true, command: { type, target: { email, role, smartAccount: smartAccount.value } } };
  };
}
