import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore } from '../db/store.js';
import { submitTransfer } from '../src/app/actions.js';
import { DEFAULT_CONFIG } from '../src/app/deps.js';
import { loadActor } from '../src/app/identity.js';
import { requestTransfer } from '../src/app/request.js';
import type { ExportTarget } from '../src/commands/command.js';
import { seedAccounts, type BenchAccounts } from './support/accounts.js';
import { openBenchDatabase, query, type BenchDatabase } from './support/database.js';
import { LARGE_TRANSFER_ITEMS, seedLargeInventory } from './support/large-inventory.js';
import type { ExportCaseResult } from './support/export-case.js';
import { round, targeted, type BenchOutcome, type BenchResult } from './support/results.js';
import { mib, ms } from './support/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const TRANSACTIONS = 100_000;

/**
 * 100,000 transactions out of one Smart Account, written in one statement: every other one to a sister
 * site (same company, completed), the others to another company's account with one of its admins as
 * transferee and a mix of statuses; one every five minutes back from now.
 */
export async function seedTransactions(bench: BenchDatabase, accounts: BenchAccounts): Promise<void> {
  const transferees = accounts.transferees.map((t) => t.id);
  await query(
    bench.database,
    `insert into transfers (id, status, requester_id, source_smart_account_id, source_virtual_account_id,
       destination_smart_account_id, destination_virtual_account_id, transferee_id, same_company_answer,
       same_legal_entity, surface, created_at, updated_at, completed_at)
     select 'AT-' || upper(lpad(to_hex(g), 8, '0')),
       (case when g % 2 = 0 then 'transfer_completed'
             else (array['transfer_completed', 'cancelled', 'awaiting_consent', 'compliance_screening',
                         'transfer_completed_with_failure', 'compliance_rejected'])[1 + (g / 2) % 6] end)::transfer_status,
       ${accounts.requester.id}, ${accounts.source.id},
       case when g % 3 = 0 then null else ${accounts.source.defaultVa} end,
       case when g % 2 = 0 then ${accounts.sister.id} else ${accounts.affiliate.id} end,
       case when g % 2 = 0 then ${accounts.sister.defaultVa} else ${accounts.affiliate.defaultVa} end,
       case when g % 2 = 0 then null else (array[${transferees.join(',')}])[1 + g % ${transferees.length}] end,
       g % 2 = 0, g % 2 = 0, 'slack', at, at,
       case when g % 2 = 0 or (g / 2) % 6 in (0, 4) then at + interval '1 hour' end
     from (select g, now() - g * interval '5 minutes' as at from generate_series(1, ${TRANSACTIONS}) g) rows`,
  );
  await query(bench.database, 'analyze transfers');
}

interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakOverIdleMiB: number;
  note: string;
  bytes: number;
}

/** Runs one export in a process of its own (bench/support/export-case.ts) on the seeded database. */
function measureExport(
  bench: BenchDatabase,
  target: ExportTarget,
  out: string,
  profileName: string,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    let result: ExportCaseResult | undefined;
    const child = fork(join(HERE, 'support', 'export-case.ts'), [JSON.stringify(target), out, profileName], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, ...bench.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m) => {
      result = m as ExportCaseResult;
    });
    child.on('exit', (code, signal) => {
      if (!result) return reject(new Error(`the export process ended (${signal ?? `exit ${code}`})`));
      const { rss, heap, atPeak } = result;
      resolve({
        seconds: result.seconds,
        cpuSeconds: result.cpuSeconds,
        peakOverIdleMiB: mib(rss.peak - rss.idle),
        bytes: result.bytes,
        note: `resident set ${round(mib(rss.idle))} MiB idle before the export (${result.settling.settled ? 'settled' : 'still moving'} after ${round(result.settling.waitedMs / 1000, 1)} s), ${round(mib(rss.peak))} MiB at peak; JS heap ${round(mib(heap.idle))} → ${round(mib(heap.peak))} MiB; at the peak, ${round(mib(atPeak.heapUsed))} MiB of heap in use and ${round(mib(atPeak.arrayBuffers))} MiB of buffers outside it`,
      });
    });
  });
}

/**
 * Benchmark: the Excel file of a Smart Account with 100,000 transactions, and of one transaction of
 * 10,000 items (summary, items with their minor lines, history), as `transfer-bot export --out` writes
 * them; time, resident memory at the peak over the process before the export, and the file's size.
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('export');
  const folder = await mkdtemp(join(tmpdir(), 'transfer-bot-bench-export-'));
  try {
    const accounts = await seedAccounts(bench.database, 20);
    const seedStart = process.hrtime.bigint();
    await seedTransactions(bench, accounts);
    const seedMs = ms(seedStart);

    const deps = { store: createStore(bench.database.db), now: () => new Date(), config: DEFAULT_CONFIG };
    const requester = await loadActor(
      deps,
      (await deps.store.users.findUser({ id: accounts.requester.id }))!,
      'slack',
    );
    // The large transaction moves the sister site's assets into the account whose file is measured, which
    // then holds 100,001 transactions: its file has the newest 100,000, as many as an export takes.
    const refs = await seedLargeInventory(bench.database, accounts.sister);
    const requested = await requestTransfer(deps, requester, {
      source: { smartAccount: accounts.sister.domain },
      destination: { smartAccount: accounts.source.domain, virtualAccount: 'DEFAULT' },
      assets: refs,
      sameCompany: true,
    });
    if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
    const id = requested.value.state.id;
    const submitted = await submitTransfer(deps, requester, id);
    if (!submitted.ok || submitted.value.status !== 'transfer_completed')
      throw new Error('the 10,000-item transfer did not complete');

    // The embedded database takes one process at a time: this one lets go before each export runs.
    await bench.close();
    const account = await measureExport(
      bench,
      { kind: 'smartAccount', smartAccount: accounts.source.domain },
      join(folder, 'account.xlsx'),
      'big-export-account',
    );
    const transaction = await measureExport(
      bench,
      { kind: 'transaction', transactionId: id },
      join(folder, 'transaction.xlsx'),
      'big-export-transaction',
    );
    const embedded = bench.database.kind === 'embedded';
    const where = embedded ? 'the embedded database included' : 'the server is another process';
    const cpuWhere = embedded
      ? 'the embedded database’s work included'
      : 'the database server’s own work is not in it';
    const figures = (label: string, m: Measured, seconds: number, rssTarget?: number): BenchResult[] => [
      targeted({ name: `${label}: time`, value: round(m.seconds, 2), unit: 's' }, '<', seconds),
      {
        name: `${label}: CPU time of the exporting process`,
        value: round(m.cpuSeconds, 2),
        unit: 's',
        note: `user and system time of the process (its threads included), what other work on the machine cannot stretch; ${cpuWhere}`,
      },
      rssTarget === undefined
        ? {
            name: `${label}: peak RSS over the process before it`,
            value: round(m.peakOverIdleMiB),
            unit: 'MiB',
            note: `${m.note} (${where})`,
          }
        : targeted(
            {
              name: `${label}: peak RSS over the process before it`,
              value: round(m.peakOverIdleMiB),
              unit: 'MiB',
              note: `${m.note} (${where})`,
            },
            '<',
            rssTarget,
          ),
      { name: `${label}: file size`, value: round(m.bytes / 1024 / 1024, 2), unit: 'MiB' },
    ];
    return {
      bench: 'big-export',
      database: bench.label,
      seconds: round(ms(started) / 1000),
      results: [
        {
          name: `big export: seed ${TRANSACTIONS.toLocaleString('en')} transactions in one Smart Account`,
          value: round(seedMs / 1000),
          unit: 's',
        },
        ...figures(
          `big export, Smart Account of ${TRANSACTIONS.toLocaleString('en')} transactions`,
          account,
          10,
          200,
        ),
        ...figures(
          `big export, one transaction of ${LARGE_TRANSFER_ITEMS.toLocaleString('en')} items`,
          transaction,
          3,
        ),
      ],
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await bench.dispose();
  }
}
