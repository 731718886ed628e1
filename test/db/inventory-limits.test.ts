import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventoryFile } from '../../src/app/inventory.js';
import { NO_KNOWN_IDENTITIES, parseInventory } from '../../src/inventory/schema.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { databaseSnapshot } from '../support/snapshot.js';
import { testDeps } from '../support/world.js';

const demoJson = readFileSync(new URL('../../data/demo-inventory.json', import.meta.url), 'utf8');
type Row = Record<string, unknown>;
const demo = () => JSON.parse(demoJson) as Record<string, Row[]>;

/** The demo inventory with values no column can hold, each at a place the errors must name. */
function hostileInventory() {
  const file = demo();
  const licenses = file.licenses!;
  licenses[0]!.quantity = 1e300;
  licenses[1]!.quantity = 2_147_483_648;
  licenses[2]!.inUse = 2_147_483_648;
  (licenses[3]!.minorLines as Row[])[0]!.quantity = 2_147_483_648;
  licenses[4]!.pid = 'C9300\u0000DNA';
  licenses[5]!.description = 'Essentials \uD800';
  licenses[6]!.description = 'd'.repeat(2001);
  file.devices![0]!.serialNumber = 'F'.repeat(201);
  file.users![0]!.name = 'Marie\uFFFE';
  return file;
}

const EXPECTED_ERRORS = [
  { path: 'users[0].name', message: 'holds the character U+FFFE, which cannot be stored' },
  { path: 'licenses[0].quantity', message: 'must be at most 2147483647' },
  { path: 'licenses[1].quantity', message: 'must be at most 2147483647' },
  { path: 'licenses[2].inUse', message: 'must be at most 2147483647' },
  { path: 'licenses[3].minorLines[0].quantity', message: 'must be at most 2147483647' },
  { path: 'licenses[4].pid', message: 'holds the character U+0000, which cannot be stored' },
  { path: 'licenses[5].description', message: 'holds the character U+D800, which cannot be stored' },
  { path: 'licenses[6].description', message: 'must be at most 2000 characters, not 2001' },
  { path: 'devices[0].serialNumber', message: 'must be at most 200 characters, not 201' },
  // Read against the rest of its row too, as any in-use count is.
  { path: 'licenses[2].inUse', message: 'in use (2147483648) cannot exceed the quantity (2)' },
];

describe('an inventory with values no column can hold', () => {
  it('is refused whole, every value named by its path', () => {
    const result = parseInventory(hostileInventory(), NO_KNOWN_IDENTITIES);
    expect(result.ok ? [] : result.errors).toEqual(EXPECTED_ERRORS);
  });

  it('takes the largest values the columns hold, and text of every script', () => {
    const file = demo();
    file.licenses![0]!.quantity = 2_147_483_647;
    file.licenses![0]!.inUse = 2_147_483_647;
    file.licenses![0]!.description = `${'説明'.repeat(999)}👍🏽`;
    file.devices![0]!.serialNumber = 'F'.repeat(200);
    const result = parseInventory(file, NO_KNOWN_IDENTITIES);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});

describe.each(drivers)('importing such a file (%s)', (driver) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    dir = mkdtempSync(join(tmpdir(), 'inventory-limits-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.dispose();
  });

  it('writes nothing and names every path, instead of failing in the database', async () => {
    const path = join(dir, 'hostile.json');
    writeFileSync(path, JSON.stringify(hostileInventory()));
    const before = await databaseSnapshot(database.db);
    expect(await importInventoryFile(testDeps(database.db), path)).toEqual({
      ok: false,
      errors: EXPECTED_ERRORS,
    });
    expect(await databaseSnapshot(database.db)).toEqual(before);
  });

  it('stores the largest values and longest texts the file may hold', async () => {
    const file = demo();
    file.licenses![0]!.quantity = 2_147_483_647;
    file.licenses![0]!.description = `${'説明'.repeat(999)}👍🏽`;
    file.licenses![1]!.salesOrder = '9'.repeat(200);
    file.licenses![1]!.pid = '𝟙'.repeat(200);
    file.devices![0]!.serialNumber = '𝔉'.repeat(200);
    const path = join(dir, 'largest.json');
    writeFileSync(path, JSON.stringify(file));
    const result = await importInventoryFile(testDeps(database.db), path);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
