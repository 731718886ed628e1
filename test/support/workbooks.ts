import JSZip from 'jszip';

/** Workbooks for the tests of files of references: as exceljs writes them, or written by hand. */

/** Rows as exceljs writes them: the sheet before its shared strings, as Excel does. */
export async function workbook(rows: unknown[][], extraSheet = false): Promise<Buffer> {
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  const sheet = book.addWorksheet('Refs');
  for (const row of rows) sheet.addRow(row);
  if (extraSheet) book.addWorksheet('Notes').addRow(['SN:NOTES0001']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * A workbook written by hand: `sheets` each its sheet's rows as XML, `strings` the shared strings' `<si>`
 * bodies, `sheetsFirst` whether the sheets come before the shared strings in the archive (as Excel
 * writes them), `tabOrder` the sheets' indexes in the order of the tabs (the archive's order when unset).
 */
export async function handMade(options: {
  sheets: string[];
  strings?: string[];
  sheetsFirst?: boolean;
  tabOrder?: number[];
}): Promise<Buffer> {
  const { sheets, strings = [], sheetsFirst = true } = options;
  const order = options.tabOrder ?? sheets.map((_, i) => i);
  const zip = new JSZip();
  const addSheets = () =>
    sheets.forEach((body, i) =>
      zip.file(
        `xl/worksheets/sheet${i + 1}.xml`,
        `<worksheet ${MAIN_NS}><sheetData>${body}</sheetData></worksheet>`,
      ),
    );
  const addStrings = () =>
    zip.file(
      'xl/sharedStrings.xml',
      `<sst ${MAIN_NS}>${strings.map((si) => `<si>${si}</si>`).join('')}</sst>`,
    );
  zip.file(
    'xl/workbook.xml',
    `<workbook ${MAIN_NS} xmlns:r="${REL_NS}"><sheets>` +
      order.map((i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      '</sheets></workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join('') +
      `<Relationship Id="rIdS" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  if (sheetsFirst) {
    addSheets();
    addStrings();
  } else {
    addStrings();
    addSheets();
  }
  return Buffer.from(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
}
