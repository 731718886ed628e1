import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAssetRef } from '../../src/commands/asset-ref.js';
import { readReferenceFile, type ReferenceFileResult } from '../../src/app/reference-file.js';
import { handMade, workbook } from '../support/workbooks.js';

async function* chunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 512) yield bytes.subarray(at, at + 512);
}

const read = (bytes: Uint8Array, limits?: { maxBytes: number; maxRows: number }) =>
  readReferenceFile(chunks(bytes), 'refs.xlsx', limits);

function refsOf(result: ReferenceFileResult): string[] {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.file.refs.map(formatAssetRef);
}

// Not with the pure tests of test/app/reference-file.test.ts: this one points the process's temporary
// folder at one of its own, to see what a read leaves there.
describe('an Excel file of references', () => {
  it('writes nothing to disk, whichever comes first in the file, sheets or shared strings', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'reference-workbook-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = folder;
    try {
      const excelOrder = await workbook([['SN:FOC0001'], ['SN:FOC0002'], [null]], true);
      const stringsFirst = await handMade({
        strings: ['<t>SN:FOC0001</t>', '<t>SN:FOC0002</t>'],
        sheets: [
          '<row r="1"><c t="s"><v>0</v></c></row><row r="2"><c t="s"><v>1</v></c></row><row r="3"/>',
          '<row r="1"><c t="s"><v>1</v></c></row>',
        ],
        sheetsFirst: false,
      });
      for (const bytes of [excelOrder, stringsFirst]) {
        expect(refsOf(await read(bytes))).toEqual(['SN:FOC0001', 'SN:FOC0002']);
        // Stopped at the row limit, before the end of the file.
        expect(await read(bytes, { maxBytes: 1_000_000, maxRows: 1 })).toMatchObject({
          ok: false,
          error: { key: 'core:referenceFile.tooManyRows' },
        });
      }
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      rmSync(folder, { recursive: true });
    }
  });
});
