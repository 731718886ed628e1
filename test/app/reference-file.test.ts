import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatAssetRef } from '../../src/commands/asset-ref.js';
import {
  readReferenceFile,
  type ReferenceFileLimits,
  type ReferenceFileResult,
} from '../../src/app/reference-file.js';
import { downloadedFile, fileRequestLine, leftOutStem } from '../../src/app/reference-file-request.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { readFirstSheet } from '../../src/app/reference-workbook.js';
import { tr } from '../../src/i18n/index.js';
import { handMade, workbook } from '../support/workbooks.js';

async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const read = (text: string | Uint8Array, name = 'refs.csv', limits?: ReferenceFileLimits) =>
  readReferenceFile(chunks(typeof text === 'string' ? Buffer.from(text) : text), name, limits);

function refsOf(result: ReferenceFileResult): string[] {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.file.refs.map(formatAssetRef);
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
      error: { key: 'core:referenceFile.notUtf8', params: { byte: '0xFF', line: 1, column: 4 } },
    });
    expect(await read(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), 'old.xls')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.oldExcel' },
    });
  });

  it('says a file saved as Windows-1252 is not UTF-8, where, and how to save it, in the reader’s language', async () => {
    // As Excel's plain "CSV" saves it on a Western Windows: ö is the one byte 0xF6 (in "Malmö" first).
    const cp1252 = Buffer.concat([
      Buffer.from('Serial Number;Site\r\nFOC0001;Malmö\r\nFOC0002;G', 'latin1'),
      Buffer.from([0xf6]),
      Buffer.from('teborg\r\n', 'latin1'),
    ]);
    // Whatever pieces the bytes arrive in (a download's chunks), the same place is named.
    for (const size of [1, 7, 4096]) {
      const result = await readReferenceFile(chunks(cp1252, size), 'refs.csv');
      expect(result, `pieces of ${size}`).toEqual({
        ok: false,
        error: {
          key: 'core:referenceFile.notUtf8',
          params: { name: 'refs.csv', byte: '0xF6', line: 2, column: 13 },
        },
      });
    }
    const result = await read(cp1252);
    if (result.ok) throw new Error('read');
    expect(tr('en', result.error)).toBe(
      'refs.csv is not UTF-8: byte 0xF6 at line 2, column 13, as in a file saved as Windows-1252 or Latin-1. Save it again as UTF-8 (in Excel: Save As, “CSV UTF-8”) and send it again; nothing was created.',
    );
    expect(tr('fr', result.error)).toMatch(
      /^refs\.csv n’est pas en UTF-8\u00a0: octet 0xF6 à la ligne 2, colonne 13,/,
    );
    expect(tr('ja', result.error)).toMatch(/^refs\.csv はUTF-8ではありません（2行目、13文字目のバイト0xF6。/);
  });

  it('says a file saved as UTF-16 is UTF-16, with its byte-order mark or without', async () => {
    const text = 'Serial Number\r\nFOC0001\r\nFOC0002\r\n';
    const withMark = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const bigEndian = Buffer.from(text, 'utf16le').swap16();
    for (const bytes of [withMark, Buffer.from(text, 'utf16le'), bigEndian]) {
      const result = await read(bytes);
      expect(result).toEqual({
        ok: false,
        error: { key: 'core:referenceFile.utf16', params: { name: 'refs.csv' } },
      });
      if (!result.ok)
        expect(tr('en', result.error)).toMatch(/^refs\.csv is UTF-16, not UTF-8\. Save it again as UTF-8/);
    }
    // UTF-8 with its byte-order mark, as Excel's "CSV UTF-8" writes it, is read.
    expect(refsOf(await read(Buffer.from(`\uFEFF${text}`)))).toEqual(['SN:FOC0001', 'SN:FOC0002']);
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

  it('reads Japanese headers and cells typed with phonetic guides as the cells show them', async () => {
    // Japanese Excel stores each typed word's reading (furigana) beside it: the cell shows only the word.
    const bytes = await handMade({
      strings: [
        '<t>シリアル番号</t><rPh sb="4" eb="6"><t>バンゴウ</t></rPh><phoneticPr fontId="1"/>',
        '<r><t>FOC</t></r><r><t>0001</t></r><rPh sb="0" eb="3"><t>エフオーシー</t></rPh>',
      ],
      sheets: [
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>' +
          '<row r="3"><c r="A3" t="inlineStr"><is><t>FOC0002</t><rPh><t>ニ</t></rPh></is></c></row>',
      ],
    });
    expect(refsOf(await read(bytes, '資産.xlsx'))).toEqual(['SN:FOC0001', 'SN:FOC0002']);
  });

  it('reads a workbook LibreOffice Calc wrote', async () => {
    // test/fixtures/libreoffice-calc.xlsx: a CSV of six rows turned into a workbook by
    // `soffice --headless --convert-to xlsx` (LibreOffice 7.4): a Japanese header, a formula with its
    // value, a number and a boolean.
    const bytes = readFileSync(new URL('../fixtures/libreoffice-calc.xlsx', import.meta.url));
    const result = await read(bytes, 'calc.xlsx');
    expect(refsOf(result)).toEqual(['SN:FOC0001', 'SO:100-1', 'SN:FOC0002', 'SN:12345']);
    expect(result.ok && result.file.unreadable).toEqual([6]);
  });

  it('reads the first sheet as the tabs are ordered, whatever the order of the file', async () => {
    const bytes = await handMade({
      sheets: [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>SN:NOTES0001</t></is></c></row>',
        '<row r="1"><c r="B1" t="inlineStr"><is><t>SN:FOC0009</t></is></c></row>',
      ],
      tabOrder: [1, 0],
    });
    expect(refsOf(await read(bytes, 'refs.xlsx'))).toEqual(['SN:FOC0009']);
  });

  it('reads every kind of cell as a person sees it, and no column right of IV', async () => {
    const row = (n: number, cells: string) => `<row r="${n}">${cells}</row>`;
    const bytes = await handMade({
      strings: ['<t>Reference</t>', '<t>SN:FOC0001</t>'],
      sheets: [
        [
          row(1, '<c r="A1" t="s"><v>0</v></c>'),
          row(2, '<c r="A2" t="s"><v>1</v></c>'),
          row(3, '<c r="A3" t="str"><f>"SN:"&amp;"FOC0002"</f><v>SN:FOC0002</v></c>'),
          row(4, '<c r="A4" t="b"><v>1</v></c>'),
          row(5, '<c r="A5" t="e"><v>#N/A</v></c>'),
          row(6, '<c r="A6"><f>1+1</f></c>'),
          row(7, '<c r="A7" t="inlineStr"><is><t>SN:FOC_x0030_003</t></is></c>'),
          row(9, '<c r="IW9" t="inlineStr"><is><t>SN:FOC0005</t></is></c>'),
          row(10, '<c t="inlineStr"><is><t>SN:FOC0006</t></is></c>'),
          row(11, '<c r="A11" t="s"><v></v></c>'),
        ].join(''),
      ],
    });
    const result = await read(bytes, 'refs.xlsx');
    expect(refsOf(result)).toEqual(['SN:FOC0001', 'SN:FOC0002', 'SN:FOC0003', 'SN:FOC0006']);
    // A boolean, an error and a formula never saved with its value name nothing; IV's right is not read,
    // and a shared string without its number is an empty cell.
    expect(result.ok && result.file.unreadable).toEqual([4, 5, 6]);
    // A NUL written as the workbook escapes it is no text anyone typed: the row is malformed.
    const nul = await handMade({ sheets: [row(1, '<c t="inlineStr"><is><t>SN:FOC_x0000_4</t></is></c>')] });
    expect(await read(nul, 'nul.xlsx')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.malformed', params: { rows: '1' } },
    });
  });

  it('refuses a workbook that unpacks past the bound, holds a megabyte without markup or nests too deep: a few kilobytes that would fill the disk or the memory', async () => {
    const limits = { maxBytes: 1_000_000, maxRows: 100_000, maxUnpackedBytes: 2 ** 20 };
    const tags = await handMade({ sheets: ['<x/>'.repeat(2 ** 19)] });
    expect(tags.length).toBeLessThan(20_000);
    expect(await read(tags, 'bomb.xlsx', limits)).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.tooLargeUnpacked', params: { name: 'bomb.xlsx', megabytes: 1 } },
    });
    // Within the bound, the same sheet is read: it names nothing.
    expect(await read(tags, 'bomb.xlsx', { ...limits, maxUnpackedBytes: 4 * 2 ** 20 })).toMatchObject({
      ok: true,
      file: { refs: [] },
    });
    // A megabyte with no markup in it is no cell Excel wrote (it keeps one to 32,767 characters).
    const blank = await handMade({
      sheets: [
        `<row r="1"><c r="A1" t="inlineStr"><is><t>${' '.repeat(2 ** 20 + 2 ** 19)}</t></is></c></row>`,
      ],
    });
    expect(await read(blank, 'blank.xlsx')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.notWorkbook' },
    });
    // Nor a comment as long, whatever it holds: the parser keeps it whole until its end.
    const comment = await handMade({
      sheets: [
        `<row r="1"><c t="inlineStr"><is><t>SN:FOC0001</t></is></c></row><!--${'<>'.repeat(2 ** 19 + 2 ** 18)}-->`,
      ],
    });
    expect(await read(comment, 'comment.xlsx')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.notWorkbook' },
    });
    // Nor is a thousand elements one inside the other: the parser holds every one still open.
    const deep = await handMade({
      sheets: [
        `<row r="1"><c r="A1" t="inlineStr"><is><t>SN:FOC0001</t></is></c></row>${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}`,
      ],
    });
    expect(await read(deep, 'deep.xlsx')).toMatchObject({
      ok: false,
      error: { key: 'core:referenceFile.notWorkbook' },
    });
  });

  it('keeps at most so many shared strings: more make the workbook too large', async () => {
    const bytes = await handMade({
      strings: ['<t>SN:FOC0001</t>', '', '', ''],
      sheets: ['<row r="1"><c t="s"><v>0</v></c></row>'],
    });
    const rows: string[][] = [];
    const options = (maxSharedStrings: number) => ({
      maxCellLength: 200,
      maxUnpackedBytes: 2 ** 20,
      maxSharedStrings,
      row: (cells: string[]) => rows.push(cells) > 0,
    });
    expect(await readFirstSheet(bytes, options(3))).toBe('tooLargeUnpacked');
    expect(rows).toEqual([]);
    expect(await readFirstSheet(bytes, options(4))).toBe('read');
    expect(rows).toEqual([['SN:FOC0001']]);
  });

  it('never crashes or hangs on a workbook whose sheet is any arrangement of cells and markup', async () => {
    const token = fc.constantFrom(
      '<row>',
      '</row>',
      '<row r="3">',
      '<c>',
      '<c r="B2" t="s">',
      '<c t="inlineStr">',
      '<c t="str">',
      '</c>',
      '<v>',
      '</v>',
      '<is>',
      '</is>',
      '<t>',
      '</t>',
      '<rPh>',
      '</rPh>',
      '<f>',
      '</f>',
      '0',
      '7',
      'SN:FOC1',
      '&amp;',
      '&bogus;',
      '<![CDATA[SN:X]]>',
      '<!-- c -->',
      '<',
      '>',
      '_x0000_',
      '\u0000',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 40 }), async (parts) => {
        const bytes = await handMade({ strings: ['<t>SN:FOC2</t>'], sheets: [parts.join('')] });
        const result = await read(bytes, 'any.xlsx');
        if (!result.ok)
          expect(['core:referenceFile.notWorkbook', 'core:referenceFile.malformed']).toContain(
            result.error.key,
          );
      }),
      { numRuns: 60 },
    );
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

describe('a download of a file of references', () => {
  const bytesOf = async (file: Awaited<ReturnType<typeof downloadedFile>>) => {
    if (!file.ok) throw new Error(file.refusal);
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.bytes) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };

  it('gives the file’s bytes whatever its media type, unless it is a web page', async () => {
    for (const type of ['application/octet-stream', 'text/csv; charset=utf-8', 'text/plain', null]) {
      const response = new Response('SN:FOC0001\n', type ? { headers: { 'content-type': type } } : {});
      if (type === null) response.headers.delete('content-type');
      expect(await bytesOf(await downloadedFile(Promise.resolve(response))), String(type)).toBe(
        'SN:FOC0001\n',
      );
    }
  });

  it('refuses a web page in place of the file, and lets its body go', async () => {
    for (const type of [
      'text/html',
      'text/html; charset=utf-8',
      'TEXT/HTML',
      ' application/xhtml+xml ;q=1',
    ]) {
      const response = new Response('<!DOCTYPE html><html></html>', { headers: { 'content-type': type } });
      expect(await downloadedFile(Promise.resolve(response)), type).toEqual({
        ok: false,
        refusal: 'core:referenceFile.webPage',
      });
      // Let go: the body can no longer be read.
      await expect(response.text(), type).rejects.toThrow();
    }
  });

  it('refuses a download that failed, with an error status or before any answer, as a failed download', async () => {
    // Each download starts when its turn comes, so no rejection waits unhandled for the one before.
    for (const download of [
      () => Promise.resolve(new Response('gone', { status: 404 })),
      () => Promise.resolve(new Response(null)),
      () => Promise.resolve(undefined),
      () => Promise.reject(new TypeError('fetch failed')),
      () => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ]) {
      expect(await downloadedFile(download())).toEqual({
        ok: false,
        refusal: 'core:referenceFile.downloadFailed',
      });
    }
  });
});

describe('the workbook of what a file left out', () => {
  it('is named after the file, cut at 40 whole characters', () => {
    expect(leftOutStem('refs Lyon (2026).xlsx')).toBe('left-out-refs-Lyon-2026-');
    // 39 letters then a character outside the BMP: kept whole, not half of it.
    const stem = leftOutStem(`${'a'.repeat(39)}\u{20BB7}b.csv`);
    expect(stem).toBe(`left-out-${'a'.repeat(39)}\u{20BB7}`);
    expect(stem).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(leftOutStem('….csv')).toBe('left-out--');
    expect(leftOutStem('.csv')).toBe('left-out-file');
  });
});

describe('the line a file of references comes with', () => {
  it('reads the file only with a new line; says what was wrong with a line typed wrong, how to send it otherwise', () => {
    expect(fileRequestLine(parseCommand('new from:fr-a.example'), 'refs.csv')).toMatchObject({
      ok: true,
      command: { type: 'new' },
    });
    for (const line of ['', 'list'])
      expect(fileRequestLine(parseCommand(line), 'refs.csv')).toEqual({
        ok: false,
        message: { key: 'core:referenceFile.needsNew', params: { name: 'refs.csv' } },
      });
    expect(fileRequestLine(parseCommand('new from:'), 'refs.csv')).toMatchObject({
      ok: false,
      message: { key: 'grammar:error.missingOptionValue' },
    });
  });
});
