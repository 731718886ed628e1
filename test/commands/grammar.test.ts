import { describe, expect, it } from 'vitest';
import { COMMAND_WORDS, type Command } from '../../src/commands/command.js';
import { parseCommand } from '../../src/commands/grammar.js';

const ID = 'AT-7F3K9QJ2';

describe('given a line, parseCommand gives the command', () => {
  const cases: [string, Command][] = [
    // help, and what counts as asking for it
    ['help', { type: 'help' }],
    ['', { type: 'help' }],
    ['   ', { type: 'help' }],
    ['transfer', { type: 'help' }],
    ['HELP new', { type: 'help', topic: 'new' }],
    ['help Consent', { type: 'help', topic: 'consent' }],

    // the optional leading `transfer`, case-insensitive keywords
    ['transfer list', { type: 'list' }],
    ['Transfer LIST', { type: 'list' }],
    ['/transfer list', { type: 'list' }],
    ['ＬＩＳＴ', { type: 'list' }],

    // accounts
    ['accounts', { type: 'accounts' }],
    ['accounts acme', { type: 'accounts', query: 'acme' }],
    ['accounts acme france', { type: 'accounts', query: 'acme france' }],
    ['accounts "ACME France"', { type: 'accounts', query: 'ACME France' }],
    ["accounts O'Brien", { type: 'accounts', query: "O'Brien" }],

    // assets
    ['assets acme.fr', { type: 'assets', account: { smartAccount: 'acme.fr' } }],
    [
      'assets acme.fr/DEFAULT',
      { type: 'assets', account: { smartAccount: 'acme.fr', virtualAccount: 'DEFAULT' } },
    ],
    [
      'assets acme.fr/"Lyon Lab" devices',
      { type: 'assets', account: { smartAccount: 'acme.fr', virtualAccount: 'Lyon Lab' }, tab: 'devices' },
    ],
    [
      'assets "acme.fr/Lyon Lab" Licenses C9300 DNA',
      {
        type: 'assets',
        account: { smartAccount: 'acme.fr', virtualAccount: 'Lyon Lab' },
        tab: 'licenses',
        query: 'C9300 DNA',
      },
    ],
    ['assets acme.fr C9300', { type: 'assets', account: { smartAccount: 'acme.fr' }, query: 'C9300' }],
    // quoted, a keyword is just a search term
    ['assets acme.fr "devices"', { type: 'assets', account: { smartAccount: 'acme.fr' }, query: 'devices' }],

    // list
    ['list acme.fr', { type: 'list', smartAccount: 'acme.fr' }],
    ['list status:cancelled', { type: 'list', status: 'cancelled' }],
    [
      'list Status:Awaiting_Consent acme.fr',
      { type: 'list', smartAccount: 'acme.fr', status: 'awaiting_consent' },
    ],
    [
      'list acme.fr status:transfer-completed-with-failure',
      {
        type: 'list',
        smartAccount: 'acme.fr',
        status: 'transfer_completed_with_failure',
      },
    ],
    ['list status：pending_submission', { type: 'list', status: 'pending_submission' }],
    ['list status:"Transfer Completed"', { type: 'list', status: 'transfer_completed' }],
    // a status by its label, as each language shows it: case, accents and separators aside, the whole label
    ['list status:Annulé', { type: 'list', status: 'cancelled' }],
    ['list status:annule', { type: 'list', status: 'cancelled' }],
    ['list status:"Transfert terminé"', { type: 'list', status: 'transfer_completed' }],
    ['list status:« transfert-termine »', { type: 'list', status: 'transfer_completed' }],
    ['list status:キャンセル済み', { type: 'list', status: 'cancelled' }],
    ['list status:転送完了（一部失敗）', { type: 'list', status: 'transfer_completed_with_failure' }],
    [
      'list status:"Submitted - Awaiting Transferor/Transferee Consent"',
      { type: 'list', status: 'awaiting_consent' },
    ],

    // one transaction
    [`show ${ID}`, { type: 'show', transactionId: ID }],
    ['show at-7f3k9qj2', { type: 'show', transactionId: ID }],
    [`SUBMIT ${ID}`, { type: 'submit', transactionId: ID }],
    [`cancel ${ID}`, { type: 'cancel', transactionId: ID }],
    [`retry ${ID}`, { type: 'retry', transactionId: ID }],
    [`transfer show "${ID}"`, { type: 'show', transactionId: ID }],

    // decisions
    [`consent ${ID} approve`, { type: 'consent', transactionId: ID, decision: 'approve' }],
    [
      `consent ${ID} APPROVE reason:"fine by us"`,
      {
        type: 'consent',
        transactionId: ID,
        decision: 'approve',
        reason: 'fine by us',
      },
    ],
    [
      `consent ${ID} reject reason:"Wrong destination"`,
      {
        type: 'consent',
        transactionId: ID,
        decision: 'reject',
        reason: 'Wrong destination',
      },
    ],
    [`consent ${ID} reject`, { type: 'consent', transactionId: ID, decision: 'reject' }],
    [`screen ${ID} approve`, { type: 'screen', transactionId: ID, decision: 'approve' }],
    [
      `screen ${ID} reject reason:“Sanctioned destination”`,
      {
        type: 'screen',
        transactionId: ID,
        decision: 'reject',
        reason: 'Sanctioned destination',
      },
    ],
    [
      `screen reason:'not allowed' ${ID} reject`,
      {
        type: 'screen',
        transactionId: ID,
        decision: 'reject',
        reason: 'not allowed',
      },
    ],
    [
      `consent ${ID} reject reason:« pas le bon compte »`,
      {
        type: 'consent',
        transactionId: ID,
        decision: 'reject',
        reason: 'pas le bon compte',
      },
    ],
    [
      `consent ${ID} reject reason:「宛先が違います」`,
      {
        type: 'consent',
        transactionId: ID,
        decision: 'reject',
        reason: '宛先が違います',
      },
    ],
    [
      `consent ${ID} reject reason:”phone quotes”`,
      {
        type: 'consent',
        transactionId: ID,
        decision: 'reject',
        reason: 'phone quotes',
      },
    ],

    // export and use
    ['export', { type: 'export' }],
    ['export acme.fr', { type: 'export', target: { kind: 'smartAccount', smartAccount: 'acme.fr' } }],
    ['export at-7f3k9qj2', { type: 'export', target: { kind: 'transaction', transactionId: ID } }],
    ['use acme.fr', { type: 'use', smartAccount: 'acme.fr' }],
    ['transfer USE Acme.FR', { type: 'use', smartAccount: 'Acme.FR' }],

    // grant and revoke: keywords in any case; a role on a Smart Account names it, a global role none
    [
      'grant bob@be.example admin fr-a.example',
      { type: 'grant', target: { email: 'bob@be.example', role: 'admin', smartAccount: 'fr-a.example' } },
    ],
    [
      'GRANT Bob@BE.example User fr-a.example',
      { type: 'grant', target: { email: 'Bob@BE.example', role: 'user', smartAccount: 'fr-a.example' } },
    ],
    [
      'grant cora@x.example Licensing-Ops',
      { type: 'grant', target: { email: 'cora@x.example', role: 'licensing_ops' } },
    ],
    [
      'revoke ada@ops.example bot_admin',
      { type: 'revoke', target: { email: 'ada@ops.example', role: 'bot_admin' } },
    ],
    [
      'transfer revoke carol@fr.example admin fr-a.example',
      { type: 'revoke', target: { email: 'carol@fr.example', role: 'admin', smartAccount: 'fr-a.example' } },
    ],
    // Typed on a Japanese keyboard: full-width e-mail addresses and domains are read as their ASCII forms.
    [
      'ｇｒａｎｔ　ｊｕｌｉｅｎ．ｍｏｒｅａｕ＠ｆｒ．ｅｘａｍｐｌｅ　ａｄｍｉｎ　ｎｏｒｄｌｙｓ．ｓｅ',
      {
        type: 'grant',
        target: { email: 'julien.moreau@fr.example', role: 'admin', smartAccount: 'nordlys.se' },
      },
    ],
    ['use ｓａｋｕｒａｎｅｔ．ｃｏ．ｊｐ', { type: 'use', smartAccount: 'sakuranet.co.jp' }],
  ];

  it.each(cases)('%s', (line, command) => {
    expect(parseCommand(line)).toEqual({ ok: true, command });
  });

  it('covers every command word (new has its own file)', () => {
    const covered = new Set(['new', ...cases.map(([, command]) => command.type)]);
    expect([...covered].sort()).toEqual([...COMMAND_WORDS].sort());
  });
});
