import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBigOrder } from '../support/big-order.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { consoleSession, createdIn } from '../support/journeys.js';
import { seededDatabase } from '../support/world.js';

/** The license references a reply names, in the order it names them. */
const refsIn = (out: string) => [...out.matchAll(/SO:\d+-\d+/g)].map((m) => m[0]);

/**
 * `assets` lists licenses as a licensing administrator counts them: a sales order's lines by number
 * (`-1, -2, -10`, not the text order `-1, -10, -2`), and sales orders by number too (`SO:99` before
 * `SO:100`).
 */
describe.each(surfaceDrivers)('the console lists licenses in number order (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    // fr-a.example holds SO 100–105 and SO 900, lines 1 to 12; and here SO 99.
    ({ database } = await seededDatabase(driver, 12));
    await addBigOrder(database.db, { salesOrder: '99', lines: 1, inUse: [] });
  });
  afterAll(() => database.dispose());

  it('lists an account’s sales orders and their lines by number', async () => {
    const out = await consoleSession(database.db, 'alice', ['assets fr-a.example licenses']);
    expect(refsIn(out)).toEqual([
      'SO:99-1',
      'SO:100-1',
      'SO:100-2',
      'SO:101-1',
      'SO:102-1',
      'SO:103-1',
      'SO:104-1',
      'SO:105-1',
      ...Array.from({ length: 12 }, (_, n) => `SO:900-${n + 1}`),
    ]);
  });

  it('lists the lines of a sales order searched for by number', async () => {
    const out = await consoleSession(database.db, 'paul', ['assets fr-a.example 900']);
    expect(refsIn(out)).toEqual(Array.from({ length: 12 }, (_, n) => `SO:900-${n + 1}`));
  });

  it('adds a sales order named whole line by line in number order, as `show` then lists them', async () => {
    const asked = await consoleSession(database.db, 'alice', [
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:900 same-company:yes',
    ]);
    const id = createdIn(asked);
    expect(id).toBeDefined();
    const out = await consoleSession(database.db, 'alice', [`show ${id}`]);
    expect(refsIn(out)).toEqual(Array.from({ length: 12 }, (_, n) => `SO:900-${n + 1}`));
  });
});
