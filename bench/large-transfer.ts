import { count, eq, and } from 'drizzle-orm';
import { transferItems } from '../db/schema.js';
import { createStore } from '../db/store.js';
import { loadActor } from '../src/app/identity.js';
import { submitTransfer } from '../src/app/actions.js';
import { DEFAULT_CONFIG } from '../src/app/deps.js';
import { requestTransfer } from '../src/app/request.js';
import { seedAccounts } from './support/accounts.js';
import { openBenchDatabase } from './support/database.js';
import { LARGE_TRANSFER_ITEMS, seedLargeInventory } from './support/large-inventory.js';
import { profiled } from './support/profile.js';
import { round, targeted, type BenchOutcome } from './support/results.js';
import { mib, ms, withPeakMemory } from './support/stats.js';

const ITEMS = LARGE_TRANSFER_ITEMS;

/**
 * Benchmark 3: a 10,000-item transfer between two sites of one company, from "Submit for Transfer" to
 * Transfer Completed: submit moves it at once (no consent), re-checking and moving every item in one
 * database transaction. 9 sales orders of 1,000 lines each, and 1,000 devices.
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('transfer');
  try {
    const a = await seedAccounts(bench.database, 2);
    const refs = await seedLargeInventory(bench.database, a.source);
    const deps = { store: createStore(bench.database.db), now: () => new Date(), config: DEFAULT_CONFIG };
    const requester = await loadActor(
      deps,
      (await deps.store.users.findUser({ id: a.requester.id }))!,
      'slack',
    );

    const requestStart = process.hrtime.bigint();
    const requested = await requestTransfer(deps, requester, {
      source: { smartAccount: a.source.domain },
      destination: { smartAccount: a.sister.domain, virtualAccount: 'DEFAULT' },
      assets: refs,
      sameCompany: true,
    });
    const requestMs = ms(requestStart);
    if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
    const id = requested.value.state.id;
    if (requested.value.state.status !== 'pending_submission')
      throw new Error(`request ended in ${requested.value.state.status}`);

    // Start from a collected heap, so the growth is the submit's own.
    globalThis.gc?.();
    const submitStart = process.hrtime.bigint();
    const measured = await withPeakMemory(() =>
      profiled('large-transfer', () => submitTransfer(deps, requester, id)),
    );
    const submitMs = ms(submitStart);
    const submitted = measured.value;
    if (!submitted.ok) throw new Error(`submit refused: ${submitted.refusal.message.key}`);
    if (submitted.value.status !== 'transfer_completed')
      throw new Error(`submit ended in ${submitted.value.status}`);
    const [moved] = await bench.database.db
      .select({ n: count() })
      .from(transferItems)
      .where(and(eq(transferItems.transferId, id), eq(transferItems.result, 'transferred')));
    if (Number(moved?.n) !== ITEMS) throw new Error(`${String(moved?.n)} of ${ITEMS} items transferred`);

    const where =
      bench.database.kind === 'embedded'
        ? 'this process, the embedded database included'
        : 'this process (the server is another)';
    return {
      bench: 'large-transfer',
      database: bench.label,
      seconds: round(ms(started) / 1000),
      results: [
        {
          name: `10,000-item transfer: request and validate (${refs.length.toLocaleString('en')} references)`,
          value: round(requestMs / 1000, 2),
          unit: 's',
        },
        targeted(
          {
            name: `10,000-item transfer: submit → ${submitted.value.status} (${ITEMS.toLocaleString('en')} items moved)`,
            value: round(submitMs / 1000, 2),
            unit: 's',
          },
          '<',
          2,
        ),
        {
          name: '10,000-item transfer: peak RSS during submit',
          value: round(mib(measured.rss.peak)),
          unit: 'MiB',
          note: `resident set of ${where}: ${round(mib(measured.rss.before))} MiB before submit, ${round(mib(measured.rss.peak))} MiB at peak (+${round(mib(measured.rss.peak - measured.rss.before))} MiB); JS heap ${round(mib(measured.heap.before))} MiB before, ${round(mib(measured.heap.peak))} MiB at peak`,
        },
        {
          name: '10,000-item transfer: peak JS heap growth during submit',
          value: round(mib(measured.heap.peak - measured.heap.before)),
          unit: 'MiB',
        },
      ],
    };
  } finally {
    await bench.dispose();
  }
}
