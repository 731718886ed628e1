import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/commands/command.js';
import { parseCommand } from '../../src/commands/grammar.js';

describe('given a new line, parseCommand gives a request or a prefilled wizard', () => {
  const full =
    'new from:acme.fr to:acme.de/"Lyon Lab" assets:SO:104857601-1,SN:FOC2231X0AB same-company:no ' +
    'transferee:hans.meyer@acme.de justification:"Lab moves to Lyon" terms:accept';

  const cases: [string, Command][] = [
    ['new', { type: 'new', complete: false, prefill: {}, missing: ['from', 'to', 'assets', 'same-company'] }],
    [
      full,
      {
        type: 'new',
        complete: true,
        request: {
          source: { smartAccount: 'acme.fr' },
          destination: { smartAccount: 'acme.de', virtualAccount: 'Lyon Lab' },
          assets: [
            { kind: 'so', salesOrder: '104857601', line: '1' },
            { kind: 'sn', serial: 'FOC2231X0AB' },
          ],
          sameCompany: false,
          transferee: 'hans.meyer@acme.de',
          justification: 'Lab moves to Lyon',
          termsAccepted: true,
        },
      },
    ],
    [
      'NEW From:acme.fr/DEFAULT TO:acme.fr/Lab Assets:so:104857601 Same-Company:YES',
      {
        type: 'new',
        complete: true,
        request: {
          source: { smartAccount: 'acme.fr', virtualAccount: 'DEFAULT' },
          destination: { smartAccount: 'acme.fr', virtualAccount: 'Lab' },
          assets: [{ kind: 'so', salesOrder: '104857601' }],
          sameCompany: true,
        },
      },
    ],
    // options in any order, `_` for `-`, loose references, a list split by a space, duplicates merged
    [
      'transfer new same_company:yes SN:X1 to:b.com/DEFAULT assets:SO:1-1, SUB:Sub-9 from:a.com assets:sn:X1',
      {
        type: 'new',
        complete: true,
        request: {
          source: { smartAccount: 'a.com' },
          destination: { smartAccount: 'b.com', virtualAccount: 'DEFAULT' },
          assets: [
            { kind: 'sn', serial: 'X1' },
            { kind: 'so', salesOrder: '1', line: '1' },
            { kind: 'sub', id: 'Sub-9' },
          ],
          sameCompany: true,
        },
      },
    ],
    // on "yes" the form's fields are kept: the inventory may record two legal entities after all
    [
      'new from:a.fr/DEFAULT to:a.be/DEFAULT assets:SO:1-1 same-company:yes transferee:s@a.be justification:"x" terms:accept transferor:h@a.fr',
      {
        type: 'new',
        complete: true,
        request: {
          source: { smartAccount: 'a.fr', virtualAccount: 'DEFAULT' },
          destination: { smartAccount: 'a.be', virtualAccount: 'DEFAULT' },
          assets: [{ kind: 'so', salesOrder: '1', line: '1' }],
          sameCompany: true,
          transferee: 's@a.be',
          justification: 'x',
          termsAccepted: true,
          transferor: 'h@a.fr',
        },
      },
    ],
    // `same-company:no` without the transfer request form: the wizard opens prefilled
    [
      'new from:acme.fr to:acme.de/DEFAULT assets:WO:WO-88120 same-company:no transferee:hans.meyer@acme.de',
      {
        type: 'new',
        complete: false,
        prefill: {
          source: { smartAccount: 'acme.fr' },
          destination: { smartAccount: 'acme.de', virtualAccount: 'DEFAULT' },
          assets: [{ kind: 'wo', id: 'WO-88120' }],
          sameCompany: false,
          transferee: 'hans.meyer@acme.de',
        },
        missing: ['justification', 'terms'],
      },
    ],
    // a destination without its VA is not yet a destination
    [
      'new from:acme.fr to:acme.de assets:PAK:P1 same-company:yes',
      {
        type: 'new',
        complete: false,
        prefill: {
          source: { smartAccount: 'acme.fr' },
          destination: { smartAccount: 'acme.de' },
          assets: [{ kind: 'pak', id: 'P1' }],
          sameCompany: true,
        },
        missing: ['to'],
      },
    ],
    [
      'new from:acme.fr justification:‘Merger’',
      {
        type: 'new',
        complete: false,
        prefill: { source: { smartAccount: 'acme.fr' }, justification: 'Merger' },
        missing: ['to', 'assets', 'same-company'],
      },
    ],
    [
      'new assets：SO:1、SN:Ｘ２ same-company:no',
      {
        type: 'new',
        complete: false,
        prefill: {
          assets: [
            { kind: 'so', salesOrder: '1' },
            { kind: 'sn', serial: 'Ｘ２' },
          ],
          sameCompany: false,
        },
        missing: ['from', 'to', 'transferee', 'justification', 'terms'],
      },
    ],
  ];

  it.each(cases)('%s', (line, command) => {
    expect(parseCommand(line)).toEqual({ ok: true, command });
  });
});

describe('whole selections in the one-line new', () => {
  const base = 'new from:acme.fr to:acme.de/Lab same-company:yes';
  const wholeOf = (line: string) => {
    const result = parseCommand(line);
    if (!result.ok || result.command.type !== 'new') throw new Error(`not a new command: ${line}`);
    return result.command.complete
      ? { complete: true, assets: result.command.request.assets, whole: result.command.request.whole }
      : { complete: false, assets: result.command.prefill.assets, whole: result.command.prefill.whole };
  };

  it.each<[string, object]>([
    [`${base} assets:ALL`, { complete: true, assets: [], whole: [{}] }],
    [`${base} assets:all licenses`, { complete: true, assets: [], whole: [{ kind: 'licenses' }] }],
    [`${base} assets:VA:DEFAULT`, { complete: true, assets: [], whole: [{ virtualAccount: 'DEFAULT' }] }],
    [
      `${base} assets:"VA:Lyon Lab devices"`,
      { complete: true, assets: [], whole: [{ virtualAccount: 'Lyon Lab', kind: 'devices' }] },
    ],
    [
      `${base} assets:VA:"Lab devices"`,
      { complete: true, assets: [], whole: [{ virtualAccount: 'Lab devices' }] },
    ],
    [
      `${base} assets:SO:1-1,VA:"Lab devices" licenses`,
      {
        complete: true,
        assets: [{ kind: 'so', salesOrder: '1', line: '1' }],
        whole: [{ virtualAccount: 'Lab devices', kind: 'licenses' }],
      },
    ],
    [
      `${base} assets:SO:104857601-1,VA:DEFAULT devices`,
      {
        complete: true,
        assets: [{ kind: 'so', salesOrder: '104857601', line: '1' }],
        whole: [{ virtualAccount: 'DEFAULT', kind: 'devices' }],
      },
    ],
    [`${base} assets:licenses`, { complete: true, assets: [], whole: [{ kind: 'licenses' }] }],
    [`${base} assets:ALL,ALL`, { complete: true, assets: [], whole: [{}] }],
    [
      'new from:acme.fr assets:ALL devices',
      { complete: false, assets: undefined, whole: [{ kind: 'devices' }] },
    ],
  ])('%s', (line, expected) => {
    expect(wholeOf(line)).toEqual(expected);
  });

  it('a comma inside a quoted Virtual Account name is part of the name; elsewhere commas split the list', () => {
    expect(wholeOf(`${base} assets:VA:"Paris, Lyon",SN:FOC1`)).toEqual({
      complete: true,
      assets: [{ kind: 'sn', serial: 'FOC1' }],
      whole: [{ virtualAccount: 'Paris, Lyon' }],
    });
    expect(wholeOf(`${base} assets:SN:FOC1、VA:「東京、大阪」 licenses`)).toEqual({
      complete: true,
      assets: [{ kind: 'sn', serial: 'FOC1' }],
      whole: [{ virtualAccount: '東京、大阪', kind: 'licenses' }],
    });
    // Quotes around the whole list keep it a list.
    expect(wholeOf(`${base} assets:"SN:FOC1, SN:FOC2"`)).toEqual({
      complete: true,
      assets: [
        { kind: 'sn', serial: 'FOC1' },
        { kind: 'sn', serial: 'FOC2' },
      ],
      whole: undefined,
    });
  });

  it('reads domains and e-mail addresses typed full-width (a Japanese keyboard) as their ASCII forms', () => {
    const result = parseCommand(
      'new from:ｆｒ－ａ．ｅｘａｍｐｌｅ to:ｂｅ．ｅｘａｍｐｌｅ／DEFAULT assets:SN:FOC1 same-company:no transferee:ｂｏｂ＠ｂｅ．ｅｘａｍｐｌｅ',
    );
    expect(result).toMatchObject({ ok: true });
    expect(JSON.stringify(result)).toContain('"fr-a.example"');
    expect(JSON.stringify(result)).toContain('"smartAccount":"be.example","virtualAccount":"DEFAULT"');
    expect(JSON.stringify(result)).toContain('"bob@be.example"');
  });

  it('a kind word with no whole selection before it is still a stray word', () => {
    const result = parseCommand(`${base} assets:SO:1-1 licenses`);
    expect(result.ok).toBe(false);
  });

  it('a whole selection counts as the assets: the wizard does not ask for them again', () => {
    const result = parseCommand('new from:acme.fr to:acme.de/Lab assets:ALL');
    expect(
      result.ok && result.command.type === 'new' && !result.command.complete && result.command.missing,
    ).toEqual(['same-company']);
  });
});
