import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatAssetRef } from '../../src/commands/asset-ref.js';
import { readReferenceFile, type ReferenceFileResult } from '../../src/app/reference-file.js';

async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const read = (text: string | Uint8Array, name = 'refs.csv', limits?: { maxBytes: number; maxRows: number }) =>
  readReferenceFile(chunks(typeof text === 'string' ? Buffer.from(text) : text), name, limits);

function refsOf(result: ReferenceFileResult): string[] {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.file.refs.map(formatAssetRef);
}

async function workbook(rows: unknown[][], extraSheet = false): Promise<Buffer> {
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  const sheet = book.addWorksheet('Refs');
  for (const row of rows) sheet.addRow(row);
  if (extraSheet) book.addWorksheet('Notes').addRow(['SN:NOTES0001']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('a CSV file of references', () => {
  it('reads one reference per row in any accepted form, without a header', async () => {
    const result = await read('SN:FOC0001\nSO:100-1\nsub:SUB-9\n\nPAK:PAK1\nWO:77\n');
    expect(refsOf(result)).toEqual(['SN:FOC0001', 'SO:100-1', 'SUB:SUB-9', 'PAK:PAK1', 'WO:77']);
  });

  it('reads serial numbers and sales-order lines in their own columns, whatever the header language', async () => {
    for (const header of [
      'Serial Number;Sales Order',
      'Numéro de série;Commande client',
      'シリアル番号;セールスオーダー',
      'SN;SO',
    ]) {
      const result = await read(`\uFEFF${header}\r\nFOC0001;\r\n;100-1\r\n`);
      expect(refsOf(result), header).toEqual(['SN:FOC0001', 'SO:100-1']);
    }
  });

  it('joins a sales order and its line from two columns, and takes tabs or commas alike', async () => {
    expect(refsOf(await read('Sales Order\tLine\n100\t2\n101\t\n'))).toEqual(['SO:100-2', 'SO:101']);
    expect(refsOf(await read('Description,Reference\n"Router, big",SN:FOC0002\n'))).toEqual(['SN:FOC0002']);
  });

  it('names the rows that hold no reference and keeps each reference once', async () => {
    const result = await read('Reference\nSN:FOC0001\nhello\nSN:foc0001\nSO:100-1.1\n');
    if (!result.ok) throw new Error('refused');
    expect(result.file.refs.map(formatAssetRef)).toEqual(['SN:FOC0001']);
    expect(result.file.unreadable).toEqual([3, 5]);
    expect(result.file.rows).toBe(4);
  });

  it('refuses a malformed file, naming its rows', async () => {
    const result = await read('SN:A1\n"SN:B"2,x\nSN:C3\nSN:D\u00004\n');
    expect(result).toEqual({
      ok: false,
      error: { key: 'core:referenceFile.malformed', params: expect.objectContaining({ name: 'refs.csv' }) },
    });
    if (result.ok) return;
    expect(String(result.error.params!.rows)).toMatch(/^2/);
  });

  it('refuses a quote never closed, invalid UTF-8, or an old .xls', async () => {
    expect((await read('SN:A1\n"SN:B2\nSN:C3\n')).ok).toBe(false);
    expect(await read(Buffer.from([0x53, 0x4e, 0x3a, 0xff, 0xfe, 0x0a]))).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.malformed', params: { rows: '1' } },
    });
    expect(await read(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), 'old.xls')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.oldExcel' },
    });
  });

  it('stops at the size and row limits and creates nothing', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `SN:FOC${i}`).join('\n');
    expect(await read(rows, 'big.csv', { maxBytes: 100, maxRows: 1000 })).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.tooLarge' },
    });
    expect(await read(rows, 'long.csv', { maxBytes: 10_000, maxRows: 10 })).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.tooManyRows', params: { max: 10 } },
    });
  });

  it('stops reading a stream that goes on past the size limit', async () => {
    const endless = new PassThrough();
    const line = Buffer.from('SN:FOC0001\n'.repeat(1000));
    const feed = setInterval(() => endless.write(line), 1);
    try {
      const result = await readReferenceFile(endless, 'endless.csv', {
        maxBytes: 200_000,
        maxRows: 1_000_000,
      });
      expect(result).toMatchObject({ ok: false, error: { key: 'core:referenceFile.tooLarge' } });
    } finally {
      clearInterval(feed);
    }
  });

  it('never crashes or hangs on arbitrary bytes: references, or a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const result = await read(bytes, 'any.csv', { maxBytes: 1500, maxRows: 200 });
        if (result.ok) expect(Array.isArray(result.file.refs)).toBe(true);
        else expect(result.error.key).toMatch(/^core:referenceFile\./);
      }),
      { numRuns: 300 },
    );
  });

  it('never crashes on CSV-shaped text made of quotes, separators and references', async () => {
    const piece = fc.constantFrom('"', ',', ';', '\t', '\n', '\r\n', 'SN:A1', 'SO:1-1', 'x', ' ', '\uFEFF');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 200 }), async (pieces) => {
        const result = await read(pieces.join(''));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('an Excel file of references', () => {
  it('reads the first sheet, formulas by their cached value, numbers as typed', async () => {
    const bytes = await workbook(
      [
        ['Serial Number', 'Sales Order', 'Subscription ID'],
        ['FOC0001', null, null],
        [null, 100, null],
        [{ formula: 'CONCAT("FOC","0002")', result: 'FOC0002' }, null, null],
        [null, null, { richText: [{ text: 'SUB-' }, { text: '9' }] }],
        ['', '', ''],
        [true, null, null],
      ],
      true,
    );
    const result = await read(bytes, 'refs.xlsx');
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.file.refs.map(formatAssetRef)).toEqual(['SN:FOC0001', 'SO:100', 'SN:FOC0002', 'SUB:SUB-9']);
    expect(result.file.unreadable).toEqual([7]);
  });

  it('never evaluates a formula: one without a cached value names nothing', async () => {
    const bytes = await workbook([['Reference'], [{ formula: '"SN:"&"EVIL"' }], ['SN:FOC0001']]);
    const result = await read(bytes, 'refs.xlsx');
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.file.refs.map(formatAssetRef)).toEqual(['SN:FOC0001']);
    expect(result.file.unreadable).toEqual([2]);
  });

  it('never crashes or hangs on arbitrary bytes that look like a zip', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const result = await read(Buffer.concat([zip, bytes]), 'any.xlsx');
        // Refused as no workbook, or read as one holding nothing (which the request then refuses).
        if (result.ok) expect(result.file.refs).toEqual([]);
        else expect(result.error.key).toBe('core:referenceFile.notWorkbook');
      }),
      { numRuns: 100 },
    );
  });

  it('a download cut short is refused as a failed download, not as a broken file', async () => {
    const bytes = await workbook([['SN:A1'], ['SN:A2'], ['SN:A3']]);
    async function* cut(after: number): AsyncGenerator<Uint8Array> {
      yield* chunks(bytes.subarray(0, after), 512);
      throw new Error('socket hang up');
    }
    for (const after of [0, 600, bytes.length - 200]) {
      expect(await readReferenceFile(cut(after), 'refs.xlsx')).toMatchObject({
        ok: false,
        error: { key: 'core:referenceFile.downloadFailed', params: { name: 'refs.xlsx' } },
      });
    }
    async function* cutCsv(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('SN:FOC0001\nSN:FOC0002\n');
      throw new Error('aborted');
    }
    expect(await readReferenceFile(cutCsv(), 'refs.csv')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.downloadFailed' },
    });
  });

  it('refuses a broken workbook and one over the row limit', async () => {
    const bytes = await workbook([['SN:A1'], ['SN:A2'], ['SN:A3']]);
    expect(await read(bytes.subarray(0, bytes.length - 200), 'cut.xlsx')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.notWorkbook' },
    });
    expect(await read(bytes, 'refs.xlsx', { maxBytes: 1_000_000, maxRows: 2 })).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.tooManyRows' },
    });
  });
});
