import { createStore } from '../db/store.js';
import { count, eq } from 'drizzle-orm';
import { outbox } from '../db/schema.js';
import { DEFAULT_CONFIG } from '../src/app/deps.js';
import { runReminderSweep } from '../src/schedule/reminders.js';
import { reminderSettings } from '../src/schedule/settings.js';
import { seedAccounts } from './support/accounts.js';
import { openBenchDatabase, query } from './support/database.js';
import { round, targeted, type BenchOutcome } from './support/results.js';
import { ms, spread } from './support/stats.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_LEASE_MS } from '../src/delivery/worker.js';
import { profiled } from './support/profile.js';

/** How many transfers await consent: the benchmark's 100,000, or BENCH_SWEEP_TRANSFERS for a quicker look. */
const DEFINED = 100_000;
const TRANSFERS = Number(process.env.BENCH_SWEEP_TRANSFERS ?? DEFINED);
/** A Wednesday, after 09:00 in every zone the transferees live in (Tokyo, Paris, UTC). */
const NOW = new Date('2026-11-25T10:00:00Z');
const DAY = 86_400_000;
/** Claims timed after the sweep, each of a delivery worker's batch. */
const CLAIMS = 20;

/**
 * Benchmark 4: one reminder sweep over transfers awaiting consent, every one of them due: the time to
 * claim each reminder and enqueue its messages. One in ten has been reminded three times already, so
 * its reminder escalates to the other admins of the Smart Account (four admins, in four time zones).
 * Then what delivering them starts with: a worker's claims from the messages the sweep left.
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('sweep');
  try {
    const seedStart = process.hrtime.bigint();
    const a = await seedAccounts(bench.database, 4);
    const ids = a.transferees.map((t) => t.id);
    const requested = new Date(NOW.getTime() - 2 * DAY).toISOString();
    const lastReminded = new Date(NOW.getTime() - DAY).toISOString();
    await query(
      bench.database,
      `insert into transfers (id, status, requester_id, source_smart_account_id, source_virtual_account_id,
                              destination_smart_account_id, destination_virtual_account_id, same_company_answer,
                              same_legal_entity, transferee_id, justification, terms_accepted_at, surface,
                              created_at, updated_at, submitted_at)
       select 'AT-B' || upper(lpad(to_hex(i), 7, '0')), 'awaiting_consent', ${a.requester.id}, ${a.source.id}, ${a.source.defaultVa},
              ${a.affiliate.id}, ${a.affiliate.defaultVa}, false, false,
              (array[${ids.join(',')}])[1 + i % ${ids.length}], 'Regional consolidation', '${requested}', 'slack',
              '${requested}', '${requested}', '${requested}'
       from generate_series(1, ${TRANSFERS}) as i`,
    );
    await query(
      bench.database,
      `insert into consents (transfer_id, role, user_id, requested_at, reminders_sent, last_reminded_at)
       select 'AT-B' || upper(lpad(to_hex(i), 7, '0')), 'transferee', (array[${ids.join(',')}])[1 + i % ${ids.length}], '${requested}',
              case when i % 10 = 0 then 3 else 0 end, case when i % 10 = 0 then '${lastReminded}'::timestamptz end
       from generate_series(1, ${TRANSFERS}) as i`,
    );
    await query(bench.database, 'analyze');
    const seedMs = ms(seedStart);

    const deps = { store: createStore(bench.database.db), now: () => NOW, config: DEFAULT_CONFIG };
    const settings = reminderSettings(
      {
        CONSENT_REMIND_EVERY: DAY,
        CONSENT_ESCALATE_AFTER: 3,
        REMINDER_CRON: '0 9 * * 1-5',
        TZ_DEFAULT: 'UTC',
      },
      'bench',
    );
    const t = process.hrtime.bigint();
    const summary = await profiled('reminder-sweep', () => runReminderSweep(deps, settings, NOW));
    const sweepMs = ms(t);
    const [queued] = await bench.database.db
      .select({ n: count() })
      .from(outbox)
      .where(eq(outbox.state, 'pending'));
    if (summary.consentReminders !== TRANSFERS) {
      throw new Error(
        `the sweep sent ${summary.consentReminders} reminders for ${TRANSFERS} due (${JSON.stringify(summary)})`,
      );
    }
    // What a delivery worker meets next: the sweep's messages all due, and the statistics the database had
    // before them (the seed's analyze). Each claim takes the next batch, as a worker draining them does.
    const claims: number[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      const t = process.hrtime.bigint();
      const claimed = await deps.store.outbox.claimDue(
        NOW,
        new Date(NOW.getTime() + DEFAULT_LEASE_MS),
        DEFAULT_BATCH_SIZE,
      );
      claims.push(ms(t));
      if (claimed.length !== DEFAULT_BATCH_SIZE) throw new Error(`a claim took ${claimed.length} messages`);
    }
    const claim = spread(claims);
    const rate = TRANSFERS / (sweepMs / 1000);
    return {
      bench: 'reminder-sweep',
      database: bench.label,
      seconds: round(ms(started) / 1000),
      results: [
        {
          name: `reminder sweep: seed ${TRANSFERS.toLocaleString('en')} transfers awaiting consent`,
          value: round(seedMs / 1000),
          unit: 's',
        },
        targeted(
          {
            name: `reminder sweep over ${TRANSFERS.toLocaleString('en')} due consents (${summary.escalations.toLocaleString('en')} escalating)`,
            value: round(sweepMs / 1000, 2),
            unit: 's',
            note: `${Math.round(rate).toLocaleString('en')} reminders/s; ${Number(queued?.n ?? 0).toLocaleString('en')} messages enqueued`,
          },
          '<',
          10,
        ),
        targeted(
          {
            name: `reminder sweep: a delivery worker's claim of ${DEFAULT_BATCH_SIZE} from the messages it left, p99`,
            value: round(claim.p99, 1),
            unit: 'ms',
            note: `${CLAIMS} claims one after another: p50 ${round(claim.p50, 1)} ms, max ${round(claim.max, 1)} ms`,
          },
          '<',
          50,
        ),
      ],
      ...(TRANSFERS !== DEFINED
        ? { notKept: `${TRANSFERS} transfers (BENCH_SWEEP_TRANSFERS), not the benchmark's ${DEFINED}` }
        : {}),
    };
  } finally {
    await bench.dispose();
  }
}
