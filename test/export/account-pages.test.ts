import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smartAccounts, transfers, virtualAccounts } from '../../db/schema.js';
import { displayWidth } from '../../src/app/export-table.js';
import { EXPORT_PAGE_SIZE } from '../../src/app/export-transactions.js';
import { exportWorkbookTo } from '../../src/app/export.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { actor } from '../support/world.js';
import {
  expectReadyTable,
  expectWidthsFit,
  startExportWorld,
  type Deps,
  type ExportWorld,
} from './support.js';

// More than two pages, and two transactions at the same minute on each side of every page boundary.
const EXTRA = 2 * EXPORT_PAGE_SIZE + 345;

/** The ids of the first column below the header, in file order; the sheet checked as every table is. */
async function transactionIds(path: string): Promise<{ ids: string[]; autoFilter: string | undefined }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0]!;
  const ids: string[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) ids.push(sheet.getRow(r).getCell(1).text);
  expectReadyTable(sheet);
  expectWidthsFit(sheet, displayWidth);
  return { ids, autoFilter: sheet.autoFilter as string | undefined };
}

describe.each(drivers)('Smart Account export over several pages (%s)', (driver) => {
  let database: TestDatabase;
  let deps: Deps;
  let world: ExportWorld;
  let expected: string[];

  beforeAll(async () => {
    world = await startExportWorld(driver);
    ({ database, deps } = world);
    const alice = await actor(database.db, 'alice');
    const [source] = await database.db
      .select({ id: smartAccounts.id })
      .from(smartAccounts)
      .where(eq(smartAccounts.domain, 'fr-a.example'));
    const [destination] = await database.db
      .select({ id: smartAccounts.id, va: virtualAccounts.id })
      .from(smartAccounts)
      .innerJoin(virtualAccounts, eq(virtualAccounts.smartAccountId, smartAccounts.id))
      .where(and(eq(smartAccounts.domain, 'fr-b.example'), eq(virtualAccounts.name, 'DEFAULT')));
    // Older than the two walked transfers; pairs share a minute, so the order within one is by id.
    const rows = Array.from({ length: EXTRA }, (_, n) => {
      const at = new Date(Date.UTC(2020, 0, 1) + Math.floor(n / 2) * 60_000);
      return {
        id: `AT-PAGE${String(n).padStart(5, '0')}`,
        status: 'transfer_completed' as const,
        requesterId: alice.userId,
        sourceSmartAccountId: source!.id,
        destinationSmartAccountId: destination!.id,
        destinationVirtualAccountId: destination!.va,
        sameCompanyAnswer: true,
        sameLegalEntity: true,
        surface: 'console',
        createdAt: at,
        updatedAt: at,
        completedAt: at,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await database.db.insert(transfers).values(rows.slice(i, i + 500));
    expected = [world.walked.withFailure.id, world.walked.sameCompany.id, ...rows.map((r) => r.id).reverse()];
  });
  afterAll(() => world.close());

  it('lists every transaction once, newest first, across pages, with the progress counting them', async () => {
    const out = `${deps.config.exportDir}/pages.xlsx`;
    const progress: { done: number; total: number }[] = [];
    const result = await exportWorkbookTo(
      deps,
      await actor(database.db, 'alice'),
      { kind: 'smartAccount', smartAccount: 'fr-a.example' },
      out,
      { reader: { locale: 'en', timeZone: 'UTC' }, onProgress: (p) => progress.push(p) },
    );
    expect(result.ok).toBe(true);
    const { ids, autoFilter } = await transactionIds(out);
    expect(ids).toEqual(expected);
    expect(autoFilter).toBe(`A1:K${expected.length + 1}`);
    expect(progress.at(-1)).toEqual({ done: expected.length, total: expected.length });
  });

  it('leaves out a transaction requested while the file is written, and keeps the rows it measured', async () => {
    const out = `${deps.config.exportDir}/during.xlsx`;
    let readings = 0;
    const listLines = deps.store.transfers.listLines.bind(deps.store.transfers);
    const store = {
      ...deps.store,
      transfers: {
        ...deps.store.transfers,
        async listLines(filter: Parameters<typeof listLines>[0]) {
          // The file's rows are read once, from the newest: a transfer requested after the first page is not in it.
          const page = await listLines(filter);
          if (filter.before === undefined && ++readings === 1) {
            const [newest] = await database.db.select().from(transfers).where(eq(transfers.id, expected[0]!));
            await database.db.insert(transfers).values({
              ...newest!,
              id: 'AT-LATECOMER',
              createdAt: new Date(newest!.createdAt.getTime() + 1000),
            });
          }
          return page;
        },
      },
    };
    const result = await exportWorkbookTo(
      { ...deps, store },
      null,
      { kind: 'smartAccount', smartAccount: 'fr-a.example' },
      out,
    );
    expect(result.ok).toBe(true);
    expect(readings).toBe(1);
    const { ids, autoFilter } = await transactionIds(out);
    expect(ids).toEqual(expected);
    expect(autoFilter).toBe(`A1:K${expected.length + 1}`);
  });
});
