import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { parseAssetRef, type AssetRef } from '../../src/commands/asset-ref.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { seedWorld } from '../support/world.js';

const ref = (text: string): AssetRef => {
  const parsed = parseAssetRef(text);
  if (!parsed) throw new Error(`not a reference: ${text}`);
  return parsed;
};

describe.each(drivers)('references looked up all at once (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it('answers each reference with what it names, in the order given, whatever the case', async () => {
    const store = createStore(database.db);
    const source = await store.accounts.findSmartAccount('fr-a.example');
    const texts = [
      'SO:100-2',
      'sn:foc0001',
      'SO:100',
      'SUB:sub-1',
      'PAK:pak-1',
      'WO:wo-1',
      'SN:NOPE404',
      'SO:100-9',
      'SN:FOC0004',
      'SO:100-2',
    ];
    const found = await store.assets.resolveRefs(source!.id, texts.map(ref));
    const named = found.map((f) => [
      ...f.licenses.map((l) => `SO:${l.salesOrder}-${l.line}`),
      ...f.devices.map((d) => `SN:${d.serialNumber}`),
    ]);
    expect(named).toEqual([
      ['SO:100-2'],
      ['SN:FOC0001'],
      ['SO:100-1', 'SO:100-2'],
      ['SO:100-1'],
      ['SO:104-1'],
      ['SO:100-1'],
      [],
      [],
      // In another Virtual Account of the source: found; the request says where it is.
      ['SN:FOC0004'],
      ['SO:100-2'],
    ]);
  });

  it('finds nothing of another Smart Account', async () => {
    const store = createStore(database.db);
    const other = await store.accounts.findSmartAccount('be.example');
    const found = await store.assets.resolveRefs(other!.id, [ref('SO:100-1'), ref('SN:FOC0001')]);
    expect(found).toEqual([
      { licenses: [], devices: [] },
      { licenses: [], devices: [] },
    ]);
  });
});
