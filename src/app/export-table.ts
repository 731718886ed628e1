import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';

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
  number: '0',
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
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
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
  const text = String(value);
  return Math.max(...text.split('\n').map(displayWidth));
}

/** One sheet of the file: its name, its columns, and one row per entry. */
export interface Table {
  name: string;
  columns: Column[];
  rows: CellInput[][];
}

const FROZEN_HEADER = [
  { state: 'frozen' as const, xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' },
];

/**
 * Writes the tables as one workbook to the stream, row by row: exceljs's streaming writer keeps
 * neither the cells nor the XML of the whole sheet in memory, which an in-memory workbook does
 * (about 0.6 GB for 50,000 rows).
 */
/** Rows written so far of all the tables, reported every thousand rows and at the end. */
export type RowProgress = (progress: { done: number; total: number }) => void;

export async function writeTables(
  tables: Table[],
  stream: Writable,
  created: Date,
  onProgress?: RowProgress,
): Promise<void> {
  // Loaded on the first export: a bot that never exports does not hold the Excel library in memory.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: true,
  });
  workbook.creator = 'Asset Transfer Bot';
  workbook.created = created;
  const total = tables.reduce((n, t) => n + t.rows.length, 0);
  let done = 0;
  const counted = onProgress
    ? () => {
        done += 1;
        if (done % 1000 === 0 || done === total) onProgress({ done, total });
      }
    : undefined;
  for (const table of tables) writeTable(workbook, table, counted);
  await workbook.commit();
}

function writeTable(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  { name, columns, rows }: Table,
  counted?: () => void,
): void {
  const sheet = workbook.addWorksheet(sheetName(name), { views: FROZEN_HEADER });
  // The streaming writer puts the column widths before the first row, so they are measured first.
  const widths = columns.map((c) => displayWidth(c.header));
  for (const values of rows) {
    columns.forEach((column, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cellWidth(values[i] ?? null, column.kind));
    });
  }
  sheet.columns = widths.map((w) => ({ width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2)) }));

  const header = sheet.addRow(columns.map((c) => c.header));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF2' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8A97A8' } } };
  });
  header.commit();
  for (const values of rows) {
    const row = sheet.addRow(values.map((v) => v ?? null));
    columns.forEach((column, i) => {
      const value = values[i] ?? null;
      const format = formatOf(value, column.kind);
      if (format) row.getCell(i + 1).numFmt = format;
      if (typeof value === 'string' && (value.includes('\n') || displayWidth(value) > MAX_WIDTH)) {
        row.getCell(i + 1).alignment = { wrapText: true, vertical: 'top' };
      }
    });
    row.commit();
    counted?.();
  }
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rows.length + 1), column: columns.length },
  };
  sheet.commit();
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Excel dates carry no time zone: a cell shows the wall-clock time it holds. So an instant is turned
 * into the reader's wall-clock time (as a UTC date, which is how exceljs writes cells) before it is
 * stored; the column header names the zone.
 */
export function wallClock(instant: Date | null, timeZone: string): Date | null {
  if (instant === null || Number.isNaN(instant.getTime())) return null;
  if (timeZone === 'UTC') return new Date(Math.floor(instant.getTime() / 1000) * 1000);
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const n = (type: string) => Number(parts[type] ?? 0);
  return new Date(Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')));
}
