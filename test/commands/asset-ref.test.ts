import { describe, expect, it } from 'vitest';
import {
  assetRefSchema,
  formatAssetRef,
  parseAssetRef,
  type AssetRef,
} from '../../src/commands/asset-ref.js';

describe('parseAssetRef', () => {
  const valid: [string, AssetRef, string][] = [
    ['SO:104857601-1', { kind: 'so', salesOrder: '104857601', line: '1' }, 'SO:104857601-1'],
    ['SO:104857601-10', { kind: 'so', salesOrder: '104857601', line: '10' }, 'SO:104857601-10'],
    ['SO:104857601', { kind: 'so', salesOrder: '104857601' }, 'SO:104857601'],
    ['so:104857601-2', { kind: 'so', salesOrder: '104857601', line: '2' }, 'SO:104857601-2'],
    ['So：１０４８５７６０１-1', { kind: 'so', salesOrder: '104857601', line: '1' }, 'SO:104857601-1'],
    ['SN:FOC2231X0AB', { kind: 'sn', serial: 'FOC2231X0AB' }, 'SN:FOC2231X0AB'],
    ['sn:foc2231x0ab', { kind: 'sn', serial: 'foc2231x0ab' }, 'SN:foc2231x0ab'],
    ['SUB:Sub-410233', { kind: 'sub', id: 'Sub-410233' }, 'SUB:Sub-410233'],
    ['pak:3KX9-PAK', { kind: 'pak', id: '3KX9-PAK' }, 'PAK:3KX9-PAK'],
    ['Wo:WO-88120', { kind: 'wo', id: 'WO-88120' }, 'WO:WO-88120'],
    ['  SN:ABC  ', { kind: 'sn', serial: 'ABC' }, 'SN:ABC'],
  ];

  it.each(valid)('given %s, it reads the reference and formats it canonically', (text, ref, canonical) => {
    expect(parseAssetRef(text)).toEqual(ref);
    expect(formatAssetRef(ref)).toBe(canonical);
    expect(parseAssetRef(formatAssetRef(ref))).toEqual(ref);
  });

  const invalid = [
    '',
    'SO:',
    'SO:-1',
    'SO:104857601-',
    'SO:104857601-1.1', // a minor line never moves alone
    'SO:ABC',
    'SN:',
    'SN:A B',
    'SN:A,B',
    'XX:123',
    '104857601',
    'FOC2231X0AB',
  ];

  it.each(invalid)('given %j, it refuses', (text) => {
    expect(parseAssetRef(text)).toBeUndefined();
  });
});

describe('assetRefSchema', () => {
  it('turns text from a payload into a reference', () => {
    expect(assetRefSchema.parse('sn:X1')).toEqual({ kind: 'sn', serial: 'X1' });
  });

  it('fails on text that names no asset', () => {
    expect(assetRefSchema.safeParse('nope').success).toBe(false);
  });
});
