import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { deserialize, serialize } from 'node:v8';
import type ExcelJS from 'exceljs';
import { localParts } from '../schedule/local-time.js';
import { shownBack } from '../text/input-check.js';
import { zipQueueOf, zipTaken } from './export-zip.js';

/**
 * The one way every export sheet is laid out, so each opens ready to read: a bold header row that stays
 * in view, filters on every column, dates that Excel can sort and compute with, columns as wide as
 * their content.
 */

export type ColumnKind = 'text' | 'number' | 'dateTime' | 'dateTimeSeconds';

export interface Column {
  header: string;
  kind: ColumnKind;
}

export type CellInput = string | number | Date | null;

const NUMBER_FORMAT: Readonly<Record<ColumnKind, string | undefined>> = {
  text: undefined,
  // Grouped by thousands with the separator of the reader's own Excel settings (12,345 · 12 345).
  number: '#,##0',
  dateTime: 'yyyy-mm-dd hh:mm',
  dateTimeSeconds: 'yyyy-mm-dd hh:mm:ss',
};

const MIN_WIDTH = 6;
// Beyond this a column is wrapped rather than widened: a 300-character justification should not push
// the next column off the screen.
const MAX_WIDTH = 60;

/** Excel forbids these characters in sheet names, cuts names at 31 characters and keeps "History" for itself. */
export function sheetName(text: string): string {
  const cleaned = text
    .replace(/[\\/?*[\]:]/g, ' ')
    .trim()
    .slice(0, 31);
  if (cleaned === '') return 'Sheet';
  return cleaned.toLowerCase() === 'history' ? `${cleaned} 1` : cleaned;
}

/**
 * How many character cells a text takes on screen: CJK and full-width characters take two, which is
 * what makes a Japanese header fit.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // Below U+1100 every character takes one cell: the common case, decided without decoding.
    if (unit < 0x1100) {
      width += 1;
      continue;
    }
    const code = text.codePointAt(i) ?? unit;
    if (code > 0xffff) i += 1;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

// A date always gets a date format, even in a mixed column (the summary's values).
function formatOf(value: CellInput, kind: ColumnKind): string | undefined {
  if (value instanceof Date) return NUMBER_FORMAT[kind] ?? NUMBER_FORMAT.dateTime;
  return typeof value === 'number' ? NUMBER_FORMAT[kind] : undefined;
}

function cellWidth(value: CellInput, kind: ColumnKind): number {
  if (value === null) return 0;
  if (value instanceof Date) return (formatOf(value, kind) ?? '').length;
  // A number shows with its thousands separators: one more character every three digits.
  const text = typeof value === 'number' && kind === 'number' ? value.toLocaleString('en') : String(value);
  if (!text.includes('\n')) return displayWidth(text);
  return Math.max(...text.split('\n').map(displayWidth));
}

/**
 * Rows read a page at a time, e.g. from the database, once: the sheet is measured as they are read (its
 * column widths and row count come before its first row in the file), and written from a copy of the
 * pages in a temporary file.
 */
export type RowPages = () => AsyncIterable<readonly CellInput[][]>;

/** One sheet of the file: its name, its columns, and one row per entry (held, or read in pages). */
export interface Table {
  name: string;
  columns: Column[];
  rows: readonly CellInput[][] | RowPages;
  /** A sheet only if it has rows (a note that applies to some files): read after the tables before it. */
  onlyWithRows?: boolean;
}

const FROZEN_HEADER = [
  { state: 'frozen' as const, xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' },
];

/** Rows written so far of all the tables, reported every thousand rows and at the end. */
export type RowProgress = (progress: { done: number; total: number }) => void;

/** What the writer needs to know of a sheet before its first row: its column widths and its rows. */
interface Measured {
  widths: number[];
  rowCount: number;
  /** The rows again, as they were measured. */
  pages: () => AsyncIterable<readonly CellInput[][]>;
}

/**
 * How many rows are read back from the temporary file at a time to be written. A thousand rows (a page
 * of the database) lived long enough while written to be moved to the old generation of the heap, where
 * they waited for a full collection: the file of an account with 100,000 transactions peaked at 192–214
 * MiB over the process in five runs, and at 108–150 MiB read back a hundred rows at a time (with the wait
 * for the zip, export-zip.ts).
 */
const SPILLED_ROWS = 100;

/**
 * Measures a table. Rows read in pages are each read once: every page is appended to `spill` as it is
 * measured (v8's serialisation, which keeps dates), and read back from it to be written, SPILLED_ROWS at
 * a time.
 */
/**
 * A text as every cell of the file shows it: what would disguise it (a right-to-left override that
 * reverses the cell, a control exceljs would drop unseen) named by code point, as messages show words
 * back; tabs and line feeds are kept.
 */
function shownCell(value: CellInput | undefined): CellInput {
  if (value === undefined) return null;
  return typeof value === 'string' ? shownBack(value) : value;
}

/** The temporary file the pages of every table are appended to, and where its end is. */
interface Spill {
  file: FileHandle;
  end: number;
}

async function measure({ columns, rows }: Table, spill: Spill): Promise<Measured> {
  const widths = columns.map((c) => displayWidth(shownBack(c.header)));
  let rowCount = 0;
  const spilled: { at: number; length: number }[] = [];
  // Each row as the file shows it (see `shownCell`), measured and kept so.
  const measurePage = (page: readonly CellInput[][]): CellInput[][] => {
    const shown = page.map((values) => values.map(shownCell));
    for (const values of shown) {
      columns.forEach((column, i) => {
        widths[i] = Math.max(widths[i] ?? 0, cellWidth(values[i] ?? null, column.kind));
      });
    }
    rowCount += shown.length;
    return shown;
  };
  if (typeof rows !== 'function') {
    const shown = measurePage(rows);
    return {
      widths,
      rowCount,
      pages: async function* held() {
        yield shown;
      },
    };
  }
  for await (const read of rows()) {
    const page = measurePage(read);
    for (let from = 0; from < page.length; from += SPILLED_ROWS) {
      const bytes = serialize(page.slice(from, from + SPILLED_ROWS));
      await spill.file.write(bytes, 0, bytes.length, spill.end);
      spilled.push({ at: spill.end, length: bytes.length });
      spill.end += bytes.length;
    }
  }
  return {
    widths,
    rowCount,
    pages: async function* readBack() {
      for (const { at, length } of spilled) {
        const bytes = Buffer.allocUnsafe(length);
        await spill.file.read(bytes, 0, length, at);
        yield deserialize(bytes) as CellInput[][];
      }
    },
  };
}

/**
 * Writes the tables as one workbook to the stream, row by row: exceljs's streaming writer keeps
 * neither the cells nor the XML of the whole sheet in memory, which an in-memory workbook does
 * (about 0.6 GB for 50,000 rows). A table read in pages is read once and kept in a temporary file
 * between its measure and its writing, so only a page of it is ever held here.
 */
export async function writeTables(
  tables: Table[],
  stream: Writable,
  created: Date,
  onProgress?: RowProgress,
): Promise<void> {
  // Loaded on the first export: a bot that never exports does not hold the Excel library in memory.
  const { default: excel } = await import('exceljs');
  const folder = await mkdtemp(join(tmpdir(), 'transfer-bot-export-'));
  const spill = { file: await open(join(folder, 'pages'), 'w+'), end: 0 };
  try {
    const kept: Table[] = [];
    const measured: Measured[] = [];
    for (const table of tables) {
      const sheet = await measure(table, spill);
      if (table.onlyWithRows && sheet.rowCount === 0) continue;
      kept.push(table);
      measured.push(sheet);
    }
    await writeWorkbook(excel, kept, measured, stream, created, onProgress);
  } finally {
    await spill.file.close();
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeWorkbook(
  excel: typeof ExcelJS,
  tables: Table[],
  measured: Measured[],
  stream: Writable,
  created: Date,
  onProgress?: RowProgress,
): Promise<void> {
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: true,
  });
  // Who made and last changed the file; the application exceljs names in docProps/app.xml is its own.
  workbook.creator = workbook.lastModifiedBy = 'Asset Transfer Bot';
  workbook.created = created;
  const total = measured.reduce((n, m) => n + m.rowCount, 0);
  let done = 0;
  const counted = onProgress
    ? () => {
        done += 1;
        if (done % 1000 === 0 || done === total) onProgress({ done, total });
      }
    : undefined;
  for (const [i, table] of tables.entries()) await writeTable(workbook, stream, table, measured[i]!, counted);
  await workbook.commit();
}

/**
 * One style object per kind of cell, shared by every cell of that kind: exceljs recognises a style it
 * has seen by the object, where a style of a cell's own is serialised to be looked up, cell by cell.
 * Each object serves one type of value only (exceljs picks a style by the object, whatever the value).
 */
const TEXT_STYLE: Partial<ExcelJS.Style> = {};
const WRAPPED_STYLE: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: 'top' } };
const EMPTY_STYLE: Partial<ExcelJS.Style> = {};
const PLAIN_NUMBER_STYLE: Partial<ExcelJS.Style> = {};
const NUMBER_STYLES = new Map<string, Partial<ExcelJS.Style>>();
const DATE_STYLES = new Map<string, Partial<ExcelJS.Style>>();

function formatted(styles: Map<string, Partial<ExcelJS.Style>>, numFmt: string): Partial<ExcelJS.Style> {
  let style = styles.get(numFmt);
  if (!style) styles.set(numFmt, (style = { numFmt }));
  return style;
}

function styleOf(value: CellInput, kind: ColumnKind): Partial<ExcelJS.Style> {
  if (value === null) return EMPTY_STYLE;
  const format = formatOf(value, kind);
  if (value instanceof Date) return formatted(DATE_STYLES, format!);
  if (typeof value === 'number') return format ? formatted(NUMBER_STYLES, format) : PLAIN_NUMBER_STYLE;
  return value.includes('\n') || displayWidth(value) > MAX_WIDTH ? WRAPPED_STYLE : TEXT_STYLE;
}

async function writeTable(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  output: Writable,
  table: Table,
  { widths, rowCount, pages }: Measured,
  counted?: () => void,
): Promise<void> {
  const { name, columns } = table;
  const sheet = workbook.addWorksheet(sheetName(name), { views: FROZEN_HEADER });
  // The streaming writer puts the column widths before the first row, so they were measured first.
  sheet.columns = widths.map((w) => ({ width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2)) }));

  const header = sheet.addRow(columns.map((c) => shownBack(c.header)));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF2' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8A97A8' } } };
  });
  header.commit();
  // The header's commit opened the sheet's queue to the zip.
  const queue = zipQueueOf(sheet);
  for await (const page of pages()) {
    await zipTaken(queue, output);
    for (const values of page) {
      const row = sheet.addRow(values.map((v) => v ?? null));
      columns.forEach((column, i) => {
        row.getCell(i + 1).style = styleOf(values[i] ?? null, column.kind);
      });
      row.commit();
      counted?.();
    }
  }
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rowCount + 1), column: columns.length },
  };
  sheet.commit();
}

/**
 * Excel dates carry no time zone: a cell shows the wall-clock time it holds. So an instant is turned
 * into the reader's wall-clock time (as a UTC date, which is how exceljs writes cells) before it is
 * stored; the column header names the zone. The zone's offset comes from a cache by quarter hour (an
 * account's file holds up to 100,000 rows of dates), the seconds from the instant.
 */
export function wallClock(instant: Date | null, timeZone: string): Date | null {
  if (instant === null || Number.isNaN(instant.getTime())) return null;
  if (timeZone === 'UTC') return new Date(Math.floor(instant.getTime() / 1000) * 1000);
  const { year, month, day, hour, minute } = localParts(instant, timeZone);
  const second = Math.floor((((instant.getTime() % 60_000) + 60_000) % 60_000) / 1000);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}
