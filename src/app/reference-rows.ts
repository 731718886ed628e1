import { formatAssetRef, parseAssetRef, type AssetRef } from '../commands/asset-ref.js';

/**
 * How the rows of a file of references are read, whatever the file's format: one reference per row,
 * in any form `assets:` accepts (`SN:…`, `SO:…-1`, …), or a bare value under a column whose header
 * says what it holds ("Serial Number", "Sales Order", "Numéro de série", "シリアル番号", …).
 */

type Column = 'reference' | 'serial' | 'salesOrder' | 'line' | 'subscription' | 'pak' | 'webOrder';

/** Header labels as `headerKey` folds them: lower case, no accents, no spaces or punctuation. */
const HEADER_LABELS: Readonly<Record<Column, readonly string[]>> = {
  reference: [
    'reference',
    'references',
    'ref',
    'asset',
    'assets',
    'actif',
    'actifs',
    '参照',
    '資産',
    'アセット',
  ],
  serial: [
    'serialnumber',
    'serialno',
    'serial',
    'sn',
    'numerodeserie',
    'nodeserie',
    'ndeserie',
    'シリアル番号',
    'シリアル',
    'シリアルno',
    '製造番号',
  ],
  salesOrder: [
    'salesorder',
    'salesorderline',
    'salesordernumber',
    'salesorderno',
    'so',
    'soline',
    'commandeclient',
    'lignedecommande',
    'numerodecommande',
    'セールスオーダー',
    'セールスオーダー番号',
    'セールスオーダーライン',
    '受注番号',
  ],
  line: ['line', 'lineno', 'linenumber', 'ligne', 'ライン', '行', '明細行'],
  subscription: [
    'subscriptionid',
    'subscription',
    'sub',
    'abonnement',
    'iddabonnement',
    'idabonnement',
    'サブスクリプションid',
    'サブスクリプション',
  ],
  pak: ['pak', 'paknumber', 'productactivationkey', 'pak番号'],
  webOrder: [
    'weborder',
    'weborderid',
    'webordernumber',
    'wo',
    'commandeweb',
    'webオーダー',
    'webオーダー番号',
  ],
};

const BY_LABEL = new Map<string, Column>(
  Object.entries(HEADER_LABELS).flatMap(([column, labels]) =>
    labels.map((label): [string, Column] => [headerKey(label), column as Column]),
  ),
);

/** Columns tried in this order: a row that names a serial and its sales order is its device. */
const PRIORITY: readonly Column[] = ['reference', 'serial', 'salesOrder', 'subscription', 'pak', 'webOrder'];

/** The longest cell read; longer ones cannot be a reference. */
export const MAX_CELL_LENGTH = 200;

function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s_\-.#:：°º'’()/]/gu, '');
}

// A bare value under a typed column: letters and digits, perhaps with dots, dashes or underscores.
const BARE_ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

function referenceIn(column: Column, value: string, line: string | undefined): AssetRef | undefined {
  const typed = parseAssetRef(value);
  if (typed !== undefined) return typed;
  if (!BARE_ID.test(value)) return undefined;
  switch (column) {
    case 'serial':
      return parseAssetRef(`SN:${value}`);
    case 'salesOrder':
      return parseAssetRef(line && !value.includes('-') ? `SO:${value}-${line}` : `SO:${value}`);
    case 'subscription':
      return parseAssetRef(`SUB:${value}`);
    case 'pak':
      return parseAssetRef(`PAK:${value}`);
    case 'webOrder':
      return parseAssetRef(`WO:${value}`);
    case 'reference':
    case 'line':
      return undefined;
  }
}

/** What the rows gave: references (each once, in file order) and the rows that named none. */
export interface RowsRead {
  refs: AssetRef[];
  /** Rows with something in them, the header excepted. */
  rows: number;
  /** Row numbers (as the spreadsheet shows them) of rows that named no reference. */
  unreadable: number[];
}

/** Reads rows one at a time; the first row with content may be a header. */
export class ReferenceRows {
  private columns: Map<number, Column> | undefined;
  private first = true;
  private readonly seen = new Map<string, AssetRef>();
  private readonly unreadable: number[] = [];
  private rows = 0;

  /** Takes one row's cells (already text) and its row number. */
  add(cells: readonly string[], rowNumber: number): void {
    const values = cells.map((cell) => cell.trim());
    if (values.every((value) => value === '')) return;
    if (this.first) {
      this.first = false;
      const header = new Map<number, Column>();
      values.forEach((value, index) => {
        const column = BY_LABEL.get(headerKey(value));
        if (column !== undefined && ![...header.values()].includes(column)) header.set(index, column);
      });
      if (header.size > 0) {
        this.columns = header;
        return;
      }
    }
    this.rows++;
    const ref = this.referenceOf(values);
    if (ref === undefined) {
      this.unreadable.push(rowNumber);
      return;
    }
    const key = formatAssetRef(ref).toUpperCase();
    if (!this.seen.has(key)) this.seen.set(key, ref);
  }

  private referenceOf(values: readonly string[]): AssetRef | undefined {
    if (values.some((value) => value.length > MAX_CELL_LENGTH)) return undefined;
    if (this.columns === undefined) {
      for (const value of values) {
        const ref = value === '' ? undefined : parseAssetRef(value);
        if (ref !== undefined) return ref;
      }
      return undefined;
    }
    const cellOf = (wanted: Column) => {
      for (const [index, column] of this.columns!) if (column === wanted) return values[index] || undefined;
      return undefined;
    };
    for (const column of PRIORITY) {
      const value = cellOf(column);
      if (value === undefined) continue;
      const ref = referenceIn(column, value, cellOf('line'));
      if (ref !== undefined) return ref;
    }
    return undefined;
  }

  result(): RowsRead {
    return { refs: [...this.seen.values()], rows: this.rows, unreadable: this.unreadable };
  }
}
