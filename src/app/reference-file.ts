import { Readable } from 'node:stream';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import { msg, type MessageKey, type Msg } from '../domain/msg.js';
import { MAX_CELL_LENGTH, ReferenceRows, type RowsRead } from './reference-rows.js';

/**
 * Reads a file of asset references (CSV or Excel .xlsx) as it arrives, without holding it whole:
 * a byte stream in, the references and the rows that named none out. Platform-free: each surface
 * hands over the bytes however it received them (a path, a Slack download, a Teams attachment).
 */

/** The largest file read, in bytes. */
export const REFERENCE_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** The most rows read. */
export const REFERENCE_FILE_MAX_ROWS = 100_000;
/** Malformed rows named in a refusal; the rest are counted. */
export const MALFORMED_ROWS_NAMED = 20;

export interface ReferenceFileLimits {
  maxBytes: number;
  maxRows: number;
}

const LIMITS: ReferenceFileLimits = { maxBytes: REFERENCE_FILE_MAX_BYTES, maxRows: REFERENCE_FILE_MAX_ROWS };

export type ReferenceFileRead = RowsRead & { name: string };

export type ReferenceFileResult = { ok: true; file: ReferenceFileRead } | { ok: false; error: Msg };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
// A cell holding NUL, or bytes that were not UTF-8, is not text anyone typed.
const notText = (cell: string) => cell.includes('\u0000') || cell.includes('\uFFFD');
// A CSV record longer than this cannot be a row of references (a few short cells).
const MAX_RECORD_CHARS = 64 * 1024;

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  magic.every((byte, i) => bytes[i] === byte);

/**
 * Why reading stopped early, when it did. `cutOff`: the bytes stopped coming (a download cut or timed
 * out), which says nothing of the file itself.
 */
type Stop = 'tooLarge' | 'tooManyRows' | 'cutOff' | undefined;

class Reading {
  stop: Stop;
  readonly malformed: number[] = [];
  readonly rows = new ReferenceRows();
  seenRows = 0;

  constructor(readonly limits: ReferenceFileLimits) {}

  /** Counts one row; false once past the limit. */
  countRow(): boolean {
    this.seenRows++;
    if (this.seenRows <= this.limits.maxRows) return true;
    this.stop = 'tooManyRows';
    return false;
  }

  addRow(cells: readonly string[], rowNumber: number): void {
    if (cells.some(notText)) this.malformed.push(rowNumber);
    else this.rows.add(cells, rowNumber);
  }
}

/**
 * Reads the whole file: every row checked. A file over the limits, not CSV nor .xlsx, or with malformed
 * rows is refused (naming the rows), and so is one whose bytes stopped coming (as a download that failed,
 * not as a file that is no workbook); otherwise the references are returned with the unreadable rows.
 */
export async function readReferenceFile(
  source: AsyncIterable<Uint8Array>,
  name: string,
  limits: ReferenceFileLimits = LIMITS,
): Promise<ReferenceFileResult> {
  const reading = new Reading(limits);
  const iterator = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await iterator.next();
  } catch {
    return refused('core:referenceFile.downloadFailed', name);
  }
  const head = first.done ? new Uint8Array() : first.value;
  const bounded = Readable.from(boundedBytes(head, iterator, reading), { objectMode: false });
  try {
    if (startsWith(head, OLE)) return refused('core:referenceFile.oldExcel', name);
    if (startsWith(head, ZIP)) await readWorkbookOrFail(bounded, reading);
    else await readCsv(bounded, reading);
  } catch (error) {
    if (reading.stop === undefined) {
      if (startsWith(head, ZIP)) return refused('core:referenceFile.notWorkbook', name);
      throw error;
    }
  } finally {
    bounded.destroy();
    await iterator.return?.();
  }
  if (reading.stop === 'cutOff') return refused('core:referenceFile.downloadFailed', name);
  if (reading.stop === 'tooLarge')
    return refused('core:referenceFile.tooLarge', name, { megabytes: Math.round(limits.maxBytes / 2 ** 20) });
  if (reading.stop === 'tooManyRows')
    return refused('core:referenceFile.tooManyRows', name, { max: limits.maxRows });
  if (reading.malformed.length > 0) {
    const rows = [...new Set(reading.malformed)].sort((a, b) => a - b);
    return refused('core:referenceFile.malformed', name, {
      count: rows.length,
      rows: rowList(rows, MALFORMED_ROWS_NAMED),
    });
  }
  return { ok: true, file: { ...reading.rows.result(), name } };
}

/** Row numbers as a short list: the first `shown`, then "…" when there are more. */
export function rowList(rows: readonly number[], shown: number): string {
  const named = rows.slice(0, shown).join(', ');
  return rows.length > shown ? `${named}, …` : named;
}

function refused(
  key: MessageKey,
  name: string,
  params: Record<string, string | number> = {},
): ReferenceFileResult {
  return { ok: false, error: msg(key, { name, ...params }) };
}

async function* boundedBytes(
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  reading: Reading,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  let chunk: Uint8Array | undefined = head;
  while (chunk !== undefined) {
    total += chunk.byteLength;
    if (total > reading.limits.maxBytes) {
      reading.stop = 'tooLarge';
      return;
    }
    if (chunk.byteLength > 0) yield chunk;
    let next: IteratorResult<Uint8Array>;
    try {
      next = await rest.next();
    } catch (error) {
      reading.stop = 'cutOff';
      throw error;
    }
    chunk = next.done ? undefined : next.value;
  }
}

async function readCsv(bytes: Readable, reading: Reading): Promise<void> {
  const parser = parseCsv({
    bom: true,
    // Whichever a spreadsheet wrote: references never hold any of these.
    delimiter: [',', ';', '\t'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    info: true,
    on_skip: (error: CsvError | undefined) => {
      if (error) reading.malformed.push(Number(error.lines) || reading.seenRows + 1);
    },
  });
  bytes.on('error', (error) => parser.destroy(error));
  bytes.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!reading.countRow()) break;
      reading.addRow(record, info.lines);
    }
  } catch (error) {
    // A quote never closed ends the file: the row it opened on is malformed.
    const lines = (error as CsvError).lines;
    if (typeof lines === 'number' && (error as CsvError).code?.startsWith('CSV_'))
      reading.malformed.push(lines);
    else throw error;
  } finally {
    parser.destroy();
  }
}

/**
 * The workbook read, or the first error of its bytes: exceljs's reader never hears that its input failed
 * (a download cut short), and would wait for the rest for ever. Whatever the reader does after that is of
 * no interest.
 */
function readWorkbookOrFail(bytes: Readable, reading: Reading): Promise<void> {
  const read = readWorkbook(bytes, reading);
  read.catch(() => undefined);
  const failed = new Promise<never>((_, reject) => bytes.once('error', reject));
  return Promise.race([read, failed]);
}

async function readWorkbook(bytes: Readable, reading: Reading): Promise<void> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  // The first worksheet holds the references; other sheets (notes, lists) are not read.
  for await (const worksheet of workbook) {
    for await (const row of worksheet) {
      if (!reading.countRow()) return;
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      // Empty cells are holes in exceljs's array: Array.from fills them.
      reading.addRow(Array.from(values, cellText), row.number);
    }
    return;
  }
}

/**
 * A cell as the text a person sees: a formula by its cached result (never evaluated), rich text by its
 * words, a hyperlink by its label, a whole number as typed. Anything else (booleans, errors) names no
 * reference. Dates arrive as numbers (styles are not read), so a date is read as its serial day number.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.slice(0, MAX_CELL_LENGTH + 1);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : '';
  if (typeof value === 'boolean' || value instanceof Date) return '?';
  if (typeof value === 'object') {
    const cell = value as { result?: unknown; richText?: { text?: unknown }[]; text?: unknown };
    // A formula never saved with its value names nothing, but the row is not empty.
    if ('formula' in cell || 'sharedFormula' in cell)
      return cell.result === undefined ? '?' : cellText(cell.result);
    if (Array.isArray(cell.richText))
      return cell.richText.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
    if ('text' in cell) return cellText(cell.text);
  }
  return '?';
}
