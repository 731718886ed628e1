import { posix } from 'node:path';
import type JSZip from 'jszip';
import { parseEntry, TooLarge, type Unpacked } from './archive-xml.js';

/**
 * Reads the rows of an Excel workbook's first sheet (as its tabs are ordered), each cell as the text a
 * person sees, without writing anything to disk and within a bound on what it unpacks: a file of a few
 * megabytes can unpack to gigabytes. Only what the references need is read: the workbook's list of
 * sheets, its shared strings (each kept to the length a reference can have), and the first sheet, row by
 * row until the caller has enough.
 */

/** The most XML read from a workbook, once unpacked, in all, unless told otherwise. */
export const WORKBOOK_MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
/**
 * The most shared strings kept: Excel's count of rows, far more than a file of references holds, and
 * what keeps a bound on memory where the XML of an empty string takes 9 bytes (64 MB would make seven
 * million of them, 250 MB).
 */
export const WORKBOOK_MAX_SHARED_STRINGS = 1_048_576;
/** Cells right of this column (IV, the 256th) are not read: no file of references puts one there. */
export const WORKBOOK_MAX_COLUMNS = 256;

export type WorkbookRead = 'read' | 'notWorkbook' | 'tooLargeUnpacked';

export interface WorkbookRows {
  /** One row of the first sheet: false to stop reading. */
  row(cells: string[], rowNumber: number): boolean;
  /** The longest cell text kept; longer cells keep this many characters and one more. */
  maxCellLength: number;
  /** The most XML read, once unpacked, in all. */
  maxUnpackedBytes: number;
  /** The most shared strings kept (`WORKBOOK_MAX_SHARED_STRINGS`); a workbook with more is too large. */
  maxSharedStrings: number;
}

/** The text of a cell holding a NUL or bytes that were not UTF-8: the reading counts its row malformed. */
const NOT_TEXT = '\u0000';

const MAIN = 'xl/workbook.xml';
const MAIN_RELS = 'xl/_rels/workbook.xml.rels';

export async function readFirstSheet(bytes: Uint8Array, rows: WorkbookRows): Promise<WorkbookRead> {
  const { default: JSZipClass } = await import('jszip');
  const unpacked = { bytes: 0, max: rows.maxUnpackedBytes };
  try {
    let zip: JSZip;
    try {
      zip = await JSZipClass.loadAsync(bytes, { checkCRC32: false, createFolders: false });
    } catch {
      return 'notWorkbook';
    }
    const sheetId = await firstSheetRelation(zip, unpacked);
    const relations = await workbookRelations(zip, unpacked);
    const sheetPath = sheetId === undefined ? undefined : relations.byId.get(sheetId);
    if (sheetPath === undefined || zip.file(sheetPath) === null) return 'notWorkbook';
    // A workbook without shared strings (every cell inline or a number) reads them as none.
    const shared = relations.sharedStrings ?? 'xl/sharedStrings.xml';
    const strings = await sharedStrings(zip, shared, unpacked, rows);
    await sheetRows(zip, sheetPath, unpacked, strings, rows);
    return 'read';
  } catch (error) {
    if (error instanceof TooLarge) return 'tooLargeUnpacked';
    return 'notWorkbook';
  }
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The relation id of the workbook's first sheet. */
async function firstSheetRelation(zip: JSZip, unpacked: Unpacked): Promise<string | undefined> {
  let id: string | undefined;
  await parseEntry(zip, MAIN, unpacked, {
    opentag(tag) {
      if (localName(tag.name) !== 'sheet') return true;
      id = Object.entries(tag.attributes).find(
        ([name]) => name.includes(':') && localName(name) === 'id',
      )?.[1];
      return false;
    },
  });
  return id;
}

/** The workbook's parts by relation id, and where its shared strings are. */
async function workbookRelations(zip: JSZip, unpacked: Unpacked) {
  const byId = new Map<string, string>();
  let sharedStrings: string | undefined;
  await parseEntry(zip, MAIN_RELS, unpacked, {
    opentag(tag) {
      if (localName(tag.name) !== 'Relationship') return true;
      const { Id, Target, Type } = tag.attributes;
      if (Target === undefined) return true;
      const path = Target.startsWith('/') ? Target.slice(1) : posix.normalize(posix.join('xl', Target));
      if (Id !== undefined) byId.set(Id, path);
      if (Type?.endsWith('/sharedStrings')) sharedStrings = path;
      return true;
    },
  });
  return { byId, sharedStrings };
}

/** Text as a cell holds it: `_xHHHH_` is how a workbook writes a character XML cannot hold. */
const ESCAPED = /_x([0-9A-Fa-f]{4})_/g;
const unescaped = (text: string) =>
  text.includes('_x')
    ? text.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;

/** Collects the text of a cell or shared string, kept short; remembers whether any of it was not text. */
class CellText {
  private text = '';
  private forged = false;

  constructor(private readonly keep: number) {}

  add(piece: string): void {
    if (this.forged || this.text.length > this.keep) return;
    const text = unescaped(piece);
    if (text.includes(NOT_TEXT) || text.includes('\uFFFD')) this.forged = true;
    else this.text = (this.text + text).slice(0, this.keep + 1);
  }

  done(): string {
    const text = this.forged ? NOT_TEXT : this.text;
    this.text = '';
    this.forged = false;
    return text;
  }
}

/** The shared strings, in order, each as a cell shows it: rich text by its words, phonetic guides left out. */
async function sharedStrings(zip: JSZip, path: string, unpacked: Unpacked, rows: WorkbookRows) {
  const strings: string[] = [];
  const text = new CellText(rows.maxCellLength);
  let inText = false;
  let phonetic = 0;
  await parseEntry(zip, path, unpacked, {
    opentag(tag) {
      const name = localName(tag.name);
      if (name === 't') inText = phonetic === 0 && !tag.isSelfClosing;
      else if (name === 'rPh') phonetic++;
      return true;
    },
    text(piece) {
      if (inText) text.add(piece);
    },
    closetag(tag) {
      const name = localName(tag.name);
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        if (strings.length >= rows.maxSharedStrings) throw new TooLarge();
        strings.push(text.done());
      }
    },
  });
  return strings;
}

/** A cell's column from its reference (`C7` is 2), or undefined when it has none. */
function columnOf(reference: string | undefined): number | undefined {
  if (reference === undefined) return undefined;
  let column = 0;
  for (let i = 0; i < reference.length && i < 4; i++) {
    const code = reference.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) return i === 0 ? undefined : column - 1;
    column = column * 26 + (code - 0x60);
  }
  return undefined;
}

/**
 * The first sheet's rows, each cell as the text a person sees: a formula by its cached result (never
 * evaluated; one saved without it is `?`), a whole number as typed, other numbers and dates as nothing
 * usable (dates are numbers once styles are not read), booleans and errors as `?`.
 */
async function sheetRows(
  zip: JSZip,
  path: string,
  unpacked: Unpacked,
  strings: readonly string[],
  rows: WorkbookRows,
) {
  let cells: string[] = [];
  let rowNumber = 0;
  let column = -1;
  let type = 'n';
  let formula = false;
  let hasValue = false;
  let capturing = false;
  let phonetic = 0;
  const text = new CellText(rows.maxCellLength);
  await parseEntry(zip, path, unpacked, {
    opentag(tag) {
      switch (localName(tag.name)) {
        case 'row': {
          const number = Number(tag.attributes.r);
          rowNumber = Number.isSafeInteger(number) && number > rowNumber ? number : rowNumber + 1;
          cells = [];
          column = -1;
          break;
        }
        case 'c':
          column = columnOf(tag.attributes.r) ?? column + 1;
          type = tag.attributes.t ?? 'n';
          formula = false;
          hasValue = false;
          text.done();
          break;
        case 'f':
          formula = true;
          break;
        case 'v':
          hasValue = true;
          capturing = true;
          break;
        case 't':
          capturing = phonetic === 0;
          break;
        case 'rPh':
          phonetic++;
          break;
      }
      return true;
    },
    text(piece) {
      if (capturing) text.add(piece);
    },
    closetag(tag) {
      switch (localName(tag.name)) {
        case 'v':
        case 't':
          capturing = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c': {
          const content = text.done();
          if (column < WORKBOOK_MAX_COLUMNS)
            cells[column] = cellOf(type, formula, hasValue ? content : undefined, content, strings);
          break;
        }
        case 'row':
          return rows.row(
            Array.from(cells, (cell) => cell ?? ''),
            rowNumber,
          );
      }
      return true;
    },
  });
}

function cellOf(
  type: string,
  formula: boolean,
  value: string | undefined,
  inline: string,
  strings: readonly string[],
): string {
  switch (type) {
    case 's':
      return value === undefined || value.trim() === '' ? '' : (strings[Number(value)] ?? '');
    case 'inlineStr':
      return inline;
    case 'str':
      return value ?? (formula ? '?' : '');
    case 'b':
    case 'e':
    case 'd':
      return value === undefined && !formula ? '' : '?';
    default: {
      if (value === undefined) return formula ? '?' : '';
      const number = Number(value);
      return value.trim() !== '' && Number.isSafeInteger(number) ? String(number) : '';
    }
  }
}
