import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect } from 'vitest';
import { licenses, users } from '../../db/schema.js';
import { consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import type { Db } from '../../db/client.js';
import { createTestDatabase, type Driver, type TestDatabase } from '../support/db.js';
import { actor, EMAILS, seedWorld, testDeps } from '../support/world.js';

export type Deps = ReturnType<typeof testDeps>;

export const HOUR = 3600_000;

/** Deps whose exports land in a folder of their own, so a test can see every file written. */
export function exportDeps(db: Db): Deps {
  const deps = testDeps(db);
  deps.config.exportDir = mkdtempSync(join(tmpdir(), 'transfer-bot-export-'));
  return deps;
}

export const filesIn = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

export interface Walked {
  /** fr-a → fr-b, same company: moved straight away. */
  sameCompany: { id: string; createdAt: Date; completedAt: Date };
  /** fr-a → be, consented by Bob, screened by Cora; one license changed after validation and failed. */
  withFailure: { id: string; createdAt: Date; completedAt: Date };
}

/**
 * Two transfers walked through the services with the clock moving, so the dates in the files
 * differ and can be checked one by one.
 */
export async function walkTransfers(db: Db, deps: Deps): Promise<Walked> {
  const [alice, bob, cora] = await Promise.all([actor(db, 'alice'), actor(db, 'bob'), actor(db, 'cora')]);
  const refs = (...texts: string[]) => texts.map((t) => parseAssetRef(t)!);

  const firstAt = deps.now();
  const first = await requestTransfer(deps, alice, {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
    assets: refs('SO:100-1'),
    sameCompany: true,
  });
  if (!first.ok) throw new Error(first.refusal.message.key);
  deps.advance(HOUR);
  const firstDoneAt = deps.now();
  const firstDone = await submitTransfer(deps, alice, first.value.state.id);
  expect(firstDone.ok && firstDone.value.status).toBe('transfer_completed');

  deps.advance(24 * HOUR);
  const secondAt = deps.now();
  const second = await requestTransfer(deps, alice, {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
    assets: refs('SO:103-1', 'SN:FOC0002', 'SO:100-2'),
    sameCompany: false,
    transferee: EMAILS.bob,
    justification: 'Brussels office opening',
    termsAccepted: true,
  });
  if (!second.ok) throw new Error(second.refusal.message.key);
  const id = second.value.state.id;
  deps.advance(HOUR);
  await submitTransfer(deps, alice, id);
  deps.advance(2 * HOUR);
  const consented = await consentTransfer(deps, bob, id, 'approve');
  expect(consented.ok && consented.value.status).toBe('compliance_screening');
  // The license gets a pending upgrade while compliance looks at the transfer: it fails at transfer time.
  await db
    .update(licenses)
    .set({ pendingUpgrade: true })
    .where(and(eq(licenses.salesOrder, '100'), eq(licenses.line, '2')));
  deps.advance(HOUR);
  const secondDoneAt = deps.now();
  const screened = await screenTransfer(deps, cora, id, 'approve');
  expect(screened.ok && screened.value.status).toBe('transfer_completed_with_failure');

  return {
    sameCompany: { id: first.value.state.id, createdAt: firstAt, completedAt: firstDoneAt },
    withFailure: { id, createdAt: secondAt, completedAt: secondDoneAt },
  };
}

/** A seeded database with the two walked transfers; `close` drops it and the files exported from it. */
export interface ExportWorld {
  database: TestDatabase;
  deps: Deps;
  walked: Walked;
  close(): Promise<void>;
}

export async function startExportWorld(driver: Driver): Promise<ExportWorld> {
  const database = await createTestDatabase(driver);
  await seedWorld(database.db);
  const deps = exportDeps(database.db);
  const walked = await walkTransfers(database.db, deps);
  return {
    database,
    deps,
    walked,
    async close() {
      await database.dispose();
      rmSync(deps.config.exportDir, { recursive: true, force: true });
    },
  };
}

/**
 * A world started before the suite's tests (then `prepare`d) and closed after them. The object is filled
 * in once the suite runs: read its fields in tests and hooks.
 */
export function useExportWorld(driver: Driver, prepare?: (world: ExportWorld) => Promise<void>): ExportWorld {
  const world = {} as ExportWorld;
  beforeAll(async () => {
    Object.assign(world, await startExportWorld(driver));
    await prepare?.(world);
  });
  afterAll(() => world.close());
  return world;
}

export async function setTimeZone(db: Db, email: string, timeZone: string | null): Promise<void> {
  await db.update(users).set({ timeZone }).where(eq(users.email, email));
}

export async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** The text of each cell of a row, as a reader sees it (dates kept as dates). */
export function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  const values: unknown[] = [];
  for (let c = 1; c <= sheet.columnCount; c++) {
    const value = sheet.getRow(row).getCell(c).value;
    values.push(value === undefined ? null : value);
  }
  return values;
}

/** Rows after the header, as objects keyed by header text. */
export function table(sheet: ExcelJS.Worksheet): Record<string, unknown>[] {
  const headers = rowValues(sheet, 1).map(String);
  const out: Record<string, unknown>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const values = rowValues(sheet, r);
    out.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
  }
  return out;
}

/** What every table sheet must look like when opened: bold frozen header, filters over the data. */
export function expectReadyTable(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  for (let c = 1; c <= sheet.columnCount; c++)
    expect(header.getCell(c).font?.bold, `header cell ${c} bold`).toBe(true);
  const [view] = sheet.views;
  expect(view).toMatchObject({ state: 'frozen', ySplit: 1 });
  const lastColumn = sheet.getColumn(sheet.columnCount).letter;
  expect(sheet.autoFilter).toBe(`A1:${lastColumn}${Math.max(1, sheet.rowCount)}`);
}

// exceljs leaves out a column whose width equals its default (9), and Excel then shows its own default.
const EXCEL_DEFAULT_WIDTH = 8.43;

/** Columns at least as wide as the longest text they hold (the header included). */
export function expectWidthsFit(sheet: ExcelJS.Worksheet, widthOf: (text: string) => number): void {
  for (let c = 1; c <= sheet.columnCount; c++) {
    const column = sheet.getColumn(c);
    let longest = 0;
    column.eachCell((cell) => {
      if (typeof cell.value === 'string') longest = Math.max(longest, ...cell.value.split('\n').map(widthOf));
    });
    expect(
      column.width ?? EXCEL_DEFAULT_WIDTH,
      `${sheet.name} column ${column.letter}`,
    ).toBeGreaterThanOrEqual(Math.min(60, longest));
  }
}
