import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import type { AssetSearch } from '../../src/app/ports/assets.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { rowsReadBy, rowsReadSoFar } from '../support/rows-read.js';
import { seedWorld } from '../support/world.js';

const ORDERS = 20;
const LINES = 1_000;
const PAGE = 26;

/**
 * `assets SA licenses` and the wizard's lists read one page of an account in its listing order: sales
 * orders, then lines, compared as numbers. However big the account (the typeahead is measured over
 * 1,000,000 assets), the order is read from an index, in order, and stops after a page: sorting the whole
 * account to show its first page would read every license in it. Here 20 sales orders of 1,000 lines in
 * fr-b.example, `SO:9` to `SO:28` (in text order `SO:10` would come first), counted by PostgreSQL
 * itself (`rowsReadBy`).
 */
describe.each(drivers)('the license listing among many rows (%s)', (driver) => {
  let database: TestDatabase;
  let smartAccountId: number;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    [{ id: smartAccountId }] = rowsOf<{ id: number }>(
      await database.db.execute(sql`select id from smart_accounts where domain = 'fr-b.example'`),
    ) as [{ id: number }];
    await database.db.execute(sql`
      insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, description,
                            quantity, license_type)
      select v.smart_account_id, v.id, (8 + o)::text, l::text, 'C9300-DNA-E-24-3Y', 'DNA Essentials 24-port, 3 years',
             1, 'smart'
      from generate_series(1, ${ORDERS}) o, generate_series(1, ${LINES}) l, virtual_accounts v
      where v.smart_account_id = ${smartAccountId} and v.name = 'DEFAULT'`);
    // As the bot's own upkeep (embedded) and autovacuum (a server) leave them: a database given back by an
    // earlier test keeps that test's statistics, and a plan made from them reads what it likes.
    await database.db.execute(sql`analyze licenses`);
  });
  afterAll(() => database.dispose());

  /**
   * One page as a connection reads it after `runsBefore` runs of the same statement, when a server may
   * have settled on one plan for every value, with the rows that last read took.
   */
  async function page(search: Omit<AssetSearch, 'smartAccountId' | 'limit'>, mode: string, runsBefore = 0) {
    let rowsRead = 0;
    const { value } = await rowsReadBy(database.db, 'licenses', async (tx) => {
      await tx.execute(sql.raw(`set local plan_cache_mode = ${mode}`));
      const read = () => createStore(tx).assets.searchLicenses({ ...search, smartAccountId, limit: PAGE });
      for (let run = 0; run < runsBefore; run++) await read();
      const before = await rowsReadSoFar(tx, 'licenses');
      const rows = await read();
      rowsRead = (await rowsReadSoFar(tx, 'licenses')) - before;
      return rows;
    });
    return { refs: value.map((l) => `SO:${l.salesOrder}-${l.line}`), rowsRead };
  }
  const lines = (salesOrder: string, count: number) =>
    Array.from({ length: count }, (_, n) => `SO:${salesOrder}-${n + 1}`);

  it('lists the first page by number, reading a page of the account, whichever plan the server keeps', async () => {
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      const { refs, rowsRead } = await page({}, mode);
      expect(refs, mode).toEqual(lines('9', PAGE));
      expect(rowsRead, mode).toBeLessThanOrEqual(2 * PAGE);
    }
  });

  // A search's prefix is a parameter, which a plan kept for every value cannot turn into a range of an
  // index (it would read the account, in any order): the server keeps planning searches with their values,
  // as it does here after a dozen runs of the same search on one connection.
  it('lists a sales order typed in full by line number, reading a page of it', async () => {
    const { refs, rowsRead } = await page({ query: 'SO:15' }, 'auto', 12);
    expect(refs).toEqual(lines('15', PAGE));
    expect(rowsRead).toBeLessThanOrEqual(4 * PAGE);
  });

  it('finds words most descriptions hold in the listing order, reading a page', async () => {
    const { refs, rowsRead } = await page({ query: 'DNA Essentials' }, 'auto', 12);
    expect(refs).toEqual(lines('9', PAGE));
    expect(rowsRead).toBeLessThanOrEqual(4 * PAGE);
  });
});
