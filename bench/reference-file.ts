import { createStore } from '../db/store.js';
import { DEFAULT_CONFIG } from '../src/app/deps.js';
import { loadActor } from '../src/app/identity.js';
import { newFromFile } from '../src/app/reference-file-request.js';
import { readReferenceFile } from '../src/app/reference-file.js';
import { parseCommand } from '../src/commands/grammar.js';
import type { Command } from '../src/commands/command.js';
import { seedAccounts } from './support/accounts.js';
import { openBenchDatabase, query } from './support/database.js';
import { profiled } from './support/profile.js';
import { round, targeted, type BenchOutcome } from './support/results.js';
import { mib, ms, withPeakMemory } from './support/stats.js';

const SALES_ORDERS = 9;
const LINES_PER_ORDER = 1000;
const DEVICES = 1000;
const ROWS = SALES_ORDERS * LINES_PER_ORDER + DEVICES;
// What an upload hands the reader at a time (a network read, a file stream).
const CHUNK_BYTES = 64 * 1024;

/** The file people would export from their own records: a header, then one serial or sales-order line per row. */
function csv(): Buffer {
  const rows = ['Description;Serial Number;Sales Order'];
  for (let o = 1; o <= SALES_ORDERS; o++)
    for (let l = 1; l <= LINES_PER_ORDER; l++) rows.push(`"DNA Essentials; 3 years";;${500000000 + o}-${l}`);
  for (let i = 1; i <= DEVICES; i++) rows.push(`Switch;FDO${String(i).padStart(8, '0')};`);
  return Buffer.from(`\uFEFF${rows.join('\r\n')}\r\n`);
}

/** The same rows as an Excel workbook, written as Excel writes one: the sheet before its shared strings. */
async function workbook(): Promise<Buffer> {
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  const sheet = book.addWorksheet('References');
  sheet.addRow(['Description', 'Serial Number', 'Sales Order']);
  for (let o = 1; o <= SALES_ORDERS; o++)
    for (let l = 1; l <= LINES_PER_ORDER; l++)
      sheet.addRow(['DNA Essentials; 3 years', null, `${500000000 + o}-${l}`]);
  for (let i = 1; i <= DEVICES; i++) sheet.addRow(['Switch', `FDO${String(i).padStart(8, '0')}`, null]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function* uploaded(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

function newCommand(line: string): Extract<Command, { type: 'new' }> {
  const parsed = parseCommand(line);
  if (!parsed.ok || parsed.command.type !== 'new') throw new Error(`not a new: ${line}`);
  return parsed.command;
}

/**
 * A 10,000-row CSV of references (9,000 sales-order lines and 1,000 serial numbers) from upload to the
 * review step: every row parsed, every reference checked against the source's inventory, the review
 * counted. Then the same file with a complete line, to the transfer created and validated. Then the
 * readers alone: the CSV, and the same rows as an Excel workbook.
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('reffile');
  try {
    const a = await seedAccounts(bench.database, 2);
    await query(
      bench.database,
      `insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, description, quantity,
                             license_type, minor_lines)
       select ${a.source.id}, ${a.source.defaultVa}, (500000000 + o)::text, l::text, 'C9300-DNA-E-24-3Y',
              'DNA Essentials 24-port, 3 years', 10, 'smart',
              jsonb_build_array(jsonb_build_object('line', l || '.1', 'pid', 'C9300-DNA-E-24', 'quantity', 10))
       from generate_series(1, ${SALES_ORDERS}) as o, generate_series(1, ${LINES_PER_ORDER}) as l`,
    );
    await query(
      bench.database,
      `insert into devices (smart_account_id, virtual_account_id, serial_number, pid, registration)
       select ${a.source.id}, ${a.source.defaultVa}, 'FDO' || lpad(i::text, 8, '0'), 'C9300-24T', 'direct'
       from generate_series(1, ${DEVICES}) as i`,
    );
    await query(bench.database, 'analyze');
    const deps = { store: createStore(bench.database.db), now: () => new Date(), config: DEFAULT_CONFIG };
    const requester = await loadActor(
      deps,
      (await deps.store.users.findUser({ id: a.requester.id }))!,
      'slack',
    );
    const file = csv();
    const toReview = newCommand(`new from:${a.source.domain} to:${a.sister.domain}/DEFAULT`);
    const complete = newCommand(`new from:${a.source.domain} to:${a.sister.domain}/DEFAULT same-company:yes`);

    globalThis.gc?.();
    const reviewStart = process.hrtime.bigint();
    const measured = await withPeakMemory(() =>
      profiled('reference-file', () =>
        newFromFile(deps, requester, toReview, { name: 'refs.csv', bytes: uploaded(file) }),
      ),
    );
    const reviewMs = ms(reviewStart);
    const review = measured.value;
    if (review.kind !== 'wizard')
      throw new Error(`the file ended in ${review.kind}: ${JSON.stringify(review)}`);
    const counted = review.file.review.licenses + review.file.review.devices;
    if (counted !== ROWS || review.file.review.leftOutTotal !== 0)
      throw new Error(
        `${counted} of ${ROWS} references counted, ${review.file.review.leftOutTotal} left out`,
      );

    const requestStart = process.hrtime.bigint();
    const requested = await newFromFile(deps, requester, complete, {
      name: 'refs.csv',
      bytes: uploaded(file),
    });
    const requestMs = ms(requestStart);
    if (requested.kind !== 'transfer') throw new Error(`the request ended in ${requested.kind}`);

    // The readers alone, no database: the CSV as above, and the same rows as an Excel workbook.
    const excelFile = await workbook();
    const readAlone = async (name: string, bytes: Buffer) => {
      globalThis.gc?.();
      const start = process.hrtime.bigint();
      const read = await withPeakMemory(() => readReferenceFile(uploaded(bytes), name));
      if (!read.value.ok || read.value.file.refs.length !== ROWS)
        throw new Error(`${name} read as ${JSON.stringify(read.value).slice(0, 300)}`);
      return { ms: ms(start), growth: mib(read.rss.peak - read.rss.before) };
    };
    const csvRead = await readAlone('refs.csv', file);
    const excelRead = await readAlone('refs.xlsx', excelFile);

    const where =
      bench.database.kind === 'embedded'
        ? 'this process, the embedded database included'
        : 'this process (the server is another)';
    return {
      bench: 'reference-file',
      database: bench.label,
      seconds: round(ms(started) / 1000),
      results: [
        targeted(
          {
            name: `file of references: ${ROWS.toLocaleString('en')}-row CSV (${round(file.length / 2 ** 20, 2)} MiB) from upload to the review step`,
            value: round(reviewMs / 1000, 2),
            unit: 's',
          },
          '<',
          5,
        ),
        {
          name: 'file of references: peak RSS growth, upload to review',
          value: round(mib(measured.rss.peak - measured.rss.before)),
          unit: 'MiB',
          note: `resident set of ${where}: ${round(mib(measured.rss.before))} MiB before, ${round(mib(measured.rss.peak))} MiB at peak; JS heap ${round(mib(measured.heap.before))} MiB before, ${round(mib(measured.heap.peak))} MiB at peak`,
        },
        {
          name: `file of references: the same file with a complete line, to the transfer requested and validated (${ROWS.toLocaleString('en')} items)`,
          value: round(requestMs / 1000, 2),
          unit: 's',
        },
        {
          name: 'file of references: the CSV read alone (no database)',
          value: round(csvRead.ms / 1000, 2),
          unit: 's',
          note: `peak RSS growth ${round(csvRead.growth)} MiB`,
        },
        {
          name: `file of references: the same rows as an Excel workbook (${round(excelFile.length / 2 ** 20, 2)} MiB), read alone`,
          value: round(excelRead.ms / 1000, 2),
          unit: 's',
          note: `peak RSS growth ${round(excelRead.growth)} MiB; nothing written to disk`,
        },
      ],
    };
  } finally {
    await bench.dispose();
  }
}
