import { Readable } from 'node:stream';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import { msg, type MessageKey, type Msg } from '../domain/msg.js';
import { Utf8Watch } from '../text/encoding.js';
import { MAX_CELL_LENGTH, ReferenceRows, type RowsRead } from './reference-rows.js';
import {
  readFirstSheet,
  WORKBOOK_MAX_SHARED_STRINGS,
  WORKBOOK_MAX_UNPACKED_BYTES,
} from './reference-workbook.js';

/**
 * Reads a file of asset references (CSV or Excel .xlsx): a byte stream in, the references and the rows
 * that named none out. A CSV file is read as it arrives, without holding it whole; an Excel file is
 * gathered (its directory comes last) and read without writing anything to disk (reference-workbook.ts).
 * Platform-free: each surface hands over the bytes however it received them (a path, a Slack download, a
 * Teams attachment).
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
  /** The most XML an Excel file may unpack to (`WORKBOOK_MAX_UNPACKED_BYTES` when unset). */
  maxUnpackedBytes?: number;
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
 * Reads the whole file: every row checked. A file over the limits, not CSV nor .xlsx, a CSV file that is
 * not UTF-8 (naming what it most likely is), or one with malformed rows is refused (naming the rows), and so is one whose bytes stopped coming (as a download that failed,
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
  // A CSV file is text: whether it is UTF-8 is watched as it goes by (a workbook's XML says its own).
  const encoding = startsWith(head, ZIP) || startsWith(head, OLE) ? undefined : new Utf8Watch();
  const bounded = Readable.from(boundedBytes(head, iterator, reading, encoding), { objectMode: false });
  try {
    if (startsWith(head, OLE)) return refused('core:referenceFile.oldExcel', name);
    if (startsWith(head, ZIP)) {
      const refusal = await readWorkbook(bounded, reading, name);
      if (refusal) return refusal;
    } else await readCsv(bounded, reading);
  } catch (error) {
    if (reading.stop === undefined) throw error;
  } finally {
    bounded.destroy();
    await iterator.return?.();
  }
  if (reading.stop === 'cutOff') return refused('core:referenceFile.downloadFailed', name);
  const notUtf8 = reading.stop === undefined ? encoding?.end() : undefined;
  if (notUtf8?.encoding === 'utf16') return refused('core:referenceFile.utf16', name);
  if (notUtf8)
    return refused('core:referenceFile.notUtf8', name, {
      byte: notUtf8.byte,
      line: notUtf8.line,
      column: notUtf8.column,
    });
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
  encoding: Utf8Watch | undefined,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  let chunk: Uint8Array | undefined = head;
  while (chunk !== undefined) {
    total += chunk.byteLength;
    if (total > reading.limits.maxBytes) {
      reading.stop = 'tooLarge';
      return;
    }
    encoding?.feed(chunk);
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
 * An Excel file: its directory is at its end, so its bytes (at most the size limit) are gathered first.
 * Its first sheet's rows then go to the reading one by one until the row limit. A refusal when the file
 * is no workbook or unpacks past the bound; otherwise the reading says what came of it.
 */
async function readWorkbook(
  bytes: Readable,
  reading: Reading,
  name: string,
): Promise<ReferenceFileResult | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of bytes as AsyncIterable<Buffer>) chunks.push(chunk);
  if (reading.stop !== undefined) return undefined;
  const maxUnpackedBytes = reading.limits.maxUnpackedBytes ?? WORKBOOK_MAX_UNPACKED_BYTES;
  const read = await readFirstSheet(Buffer.concat(chunks), {
    maxCellLength: MAX_CELL_LENGTH,
    maxUnpackedBytes,
    maxSharedStrings: WORKBOOK_MAX_SHARED_STRINGS,
    row(cells, rowNumber) {
      if (!reading.countRow()) return false;
      reading.addRow(cells, rowNumber);
      return true;
    },
  });
  if (read === 'notWorkbook') return refused('core:referenceFile.notWorkbook', name);
  if (read === 'tooLargeUnpacked')
    return refused('core:referenceFile.tooLargeUnpacked', name, {
      megabytes: Math.round(maxUnpackedBytes / 2 ** 20),
    });
  return undefined;
}
