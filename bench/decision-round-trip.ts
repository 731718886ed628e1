import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createStore } from '../db/store.js';
import { submitTransfer } from '../src/app/actions.js';
import { DEFAULT_CONFIG, type AppDeps } from '../src/app/deps.js';
import { loadActor } from '../src/app/identity.js';
import { requestTransfer } from '../src/app/request.js';
import { parseAssetRef } from '../src/commands/asset-ref.js';
import { seedAccounts } from './support/accounts.js';
import { openBenchDatabase, query } from './support/database.js';
import { stolenSince } from './support/machine.js';
import {
  botCommand,
  cpuWindow,
  firstJsonLine,
  freePort,
  neutralEnv,
  start,
  waitForOk,
  type Started,
} from './support/processes.js';
import { round, targeted, type BenchOutcome, type BenchResult } from './support/results.js';
import {
  callCounts,
  callsNote,
  clickBurst,
  consentCards,
  exactlyOnce,
  waitFor,
  type Burst,
  type Scene,
} from './support/decision-clicks.js';
import { ms, spread } from './support/stats.js';
import { childProfileFlags, writeProfileWindow } from './support/profile.js';
import postgres from 'postgres';

/** The burst the targets are set for: this many transferees click Approve at the same moment. */
const BURST = 200;
/** BENCH_DECISIONS for a quicker look: a burst of another size, shown but not kept in results.json. */
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? BURST);
/**
 * After the main burst, smaller ones on transfers of their own, each once the bot is quiet again: the
 * largest of them whose p99 meets the target is how big a burst the machine answers in time.
 */
const SMALLER_BURSTS = [25, 50, 100].filter((n) => n < DECISIONS);
const COMPLIANCE_CHANNEL = 'C0COMPLIANCE';

/**
 * `transfers` transfers (the burst's 200 and the smaller bursts' 175) from ACME Lyon to ACME Tokyo (another
 * legal entity), one license each, each waiting for the consent of a Tokyo admin of its own; every person has a Slack identity. Requested and submitted
 * through the application, so the consent cards are in the outbox as a real submit leaves them.
 */
async function seed(
  deps: AppDeps,
  bench: Awaited<ReturnType<typeof openBenchDatabase>>,
  transfers: number,
): Promise<string[]> {
  const accounts = await seedAccounts(bench.database, transfers);
  await query(
    bench.database,
    `insert into user_identities (platform, external_id, user_id)
     select 'slack', 'U' || lpad(id::text, 8, '0'), id from users`,
  );
  await query(
    bench.database,
    `insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, description, quantity, license_type)
     select ${accounts.source.id}, ${accounts.source.defaultVa}, (600000000 + i)::text, '1', 'C9300-DNA-E-24-3Y',
            'DNA Essentials 24-port, 3 years', 10, 'smart'
     from generate_series(1, ${transfers}) as i`,
  );
  await query(bench.database, 'analyze');
  const requester = await loadActor(
    deps,
    (await deps.store.users.findUser({ id: accounts.requester.id }))!,
    'slack',
  );
  const ids: string[] = [];
  for (const [i, transferee] of accounts.transferees.entries()) {
    const requested = await requestTransfer(deps, requester, {
      source: { smartAccount: accounts.source.domain },
      destination: { smartAccount: accounts.affiliate.domain, virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef(`SO:${600000001 + i}`)!],
      sameCompany: false,
      transferee: transferee.email,
      justification: 'Regional consolidation',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
    const submitted = await submitTransfer(deps, requester, requested.value.state.id);
    if (!submitted.ok) throw new Error(`submit refused: ${submitted.refusal.message.key}`);
    if (submitted.value.status !== 'awaiting_consent')
      throw new Error(`submit ended in ${submitted.value.status}, not awaiting consent`);
    ids.push(requested.value.state.id);
  }
  return ids;
}

/**
 * On a PostgreSQL server, what the server did meanwhile: transactions committed and statements that
 * scanned each table (pg_stat counters of the scratch database); null on the embedded database.
 */
async function serverCounters(env: Record<string, string>) {
  if (!('DATABASE_URL' in env)) return null;
  const sql = postgres(env.DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    // The statistics collector publishes at most every half second or so; a fresh snapshot each time.
    await sql`select pg_stat_clear_snapshot()`;
    const [db] = await sql<{ commits: string; rollbacks: string }[]>`
      select xact_commit as commits, xact_rollback as rollbacks from pg_stat_database where datname = current_database()`;
    const tables = await sql<{ relname: string; scans: string }[]>`
      select relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as scans from pg_stat_user_tables`;
    return {
      commits: Number(db?.commits ?? 0),
      rollbacks: Number(db?.rollbacks ?? 0),
      scans: new Map(tables.map((t) => [t.relname, Number(t.scans)])),
    };
  } finally {
    await sql.end();
  }
}

type Counters = Awaited<ReturnType<typeof serverCounters>>;

function countersNote(before: Counters, after: Counters, decisions: number): string {
  if (!before || !after) return '';
  const per = (n: number) => round(n / decisions, 1);
  const scans = [...after.scans]
    .map(([table, n]) => [table, n - (before.scans.get(table) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([table, n]) => `${table} ${per(n)}`)
    .join(', ');
  return `; per decision on the server: ${per(after.commits - before.commits)} transactions committed, ${per(after.rollbacks - before.rollbacks)} rolled back; table scans ${scans}`;
}

/**
 * Benchmark: the decision round trip at scale. 200 transfers await consent; their 200 transferees click
 * Approve at the same moment (signed block_actions over HTTP against the bot as `transfer-bot start`
 * runs it, Slack's Web API a local stand-in). From each click: to the chat.update of the card clicked,
 * and to the chat.postMessage of the compliance card. Every consent card must be updated exactly once,
 * and every transfer's compliance card posted exactly once. Then bursts of 25, 50 and 100 on transfers of
 * their own, one after the other, for how large a burst meets the target.
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('decision');
  const running: Started[] = [];
  try {
    const deps: AppDeps = {
      store: createStore(bench.database.db),
      now: () => new Date(),
      config: DEFAULT_CONFIG,
    };
    const seedStart = process.hrtime.bigint();
    const total = DECISIONS + SMALLER_BURSTS.reduce((a, b) => a + b, 0);
    const transferIds = await seed(deps, bench, total);
    const seedMs = ms(seedStart);
    process.stderr.write(
      `  seeded ${transferIds.length} transfers awaiting consent in ${round(seedMs / 1000)} s\n`,
    );
    await bench.close();

    const standIn = start(process.execPath, ['--import', 'tsx', 'bench/decision-stand-in.ts'], neutralEnv());
    running.push(standIn);
    const standInBase = `http://127.0.0.1:${(await firstJsonLine<{ port: number }>(standIn)).port}`;
    const secret = randomBytes(16).toString('hex');
    const port = await freePort();
    // BENCH_PROFILE=1: the bot process is profiled from start to stop (written when it stops).
    const profile = childProfileFlags('decision-bot');
    const [node, args] = botCommand('start');
    const bot = start(node, [...profile, ...args], {
      ...neutralEnv(),
      ...bench.env,
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: `xoxb-bench-${randomBytes(8).toString('hex')}`,
      SLACK_API_URL: `${standInBase}/api/`,
      SLACK_COMPLIANCE_CHANNEL: COMPLIANCE_CHANNEL,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    running.push(bot);
    const base = `http://127.0.0.1:${port}`;
    await waitForOk(`${base}/healthz`, bot);

    // The bot's outbox posts every consent card (and the requester's status messages) first.
    const beforeClicks = await waitFor(
      standInBase,
      (events) => consentCards(events).size >= transferIds.length,
      `${transferIds.length} consent cards`,
      1_000,
    );
    const allCards = [...consentCards(beforeClicks).values()];
    const cards = allCards.slice(0, DECISIONS);
    process.stderr.write(`  ${allCards.length} consent cards posted; ${cards.length} clicking\n`);

    // The counters cover the main burst alone: from just before its clicks to its last card.
    let countersBefore: Counters = null;
    let callsBefore = new Map<string, number>();
    let botCpu: () => string = () => '?';
    let stolen: () => number | null = () => null;
    let load = '';
    let cpuUsed = '?';
    let stolenPercent: number | null = null;
    let windowFrom = process.hrtime.bigint();
    const scene: Scene = { base, standInBase, secret, bot };
    const main = await clickBurst(scene, cards, {
      clicking: async () => {
        countersBefore = await serverCounters(bench.env);
        callsBefore = await callCounts(standInBase);
        botCpu = cpuWindow(bot);
        load = loadavg()
          .map((l) => round(l, 2))
          .join(' / ');
        stolen = stolenSince();
        // The profile's decision window starts here (BENCH_PROFILE=1).
        windowFrom = process.hrtime.bigint();
      },
      arrived: () => {
        cpuUsed = botCpu();
        writeProfileWindow('decision-window', windowFrom, { decisions: cards.length });
        stolenPercent = stolen();
      },
    });
    const countersAfter = await serverCounters(bench.env);
    const calls = callsNote(callsBefore, await callCounts(standInBase), cards.length);

    // Then the smaller bursts, each on cards of its own, once the one before has gone quiet.
    const limit = bench.label.includes('server') ? 1000 : 2000;
    const smaller: { size: number; burst: Burst }[] = [];
    let offset = DECISIONS;
    for (const size of SMALLER_BURSTS) {
      process.stderr.write(`  a burst of ${size}\n`);
      smaller.push({ size, burst: await clickBurst(scene, allCards.slice(offset, offset + size)) });
      offset += size;
    }

    const wrong = exactlyOnce(main);
    const u = spread(main.toUpdate);
    const c = spread(main.toCompliance);
    const ackSpread = spread(main.acks);
    const updateCalls = main.updateCounts.reduce((a, b) => a + b, 0);
    const bursts = [...smaller, { size: cards.length, burst: main }].sort((a, b) => a.size - b.size);
    const inTime = bursts.filter(
      ({ burst }) => spread(burst.toUpdate).p99 < limit && spread(burst.toCompliance).p99 < limit,
    );
    const results: BenchResult[] = [
      {
        name: `decision round trip: seed ${transferIds.length} transfers awaiting consent`,
        value: round(seedMs / 1000),
        unit: 's',
      },
      {
        name: `decision round trip: ${cards.length} simultaneous Approve clicks, ack p99`,
        value: round(ackSpread.p99),
        unit: 'ms',
        note: `ack p50 ${round(ackSpread.p50)} ms, max ${round(ackSpread.max)} ms`,
      },
      { name: 'decision round trip: click → chat.update of that card, p50', value: round(u.p50), unit: 'ms' },
      targeted(
        {
          name: 'decision round trip: click → chat.update of that card, p99',
          value: round(u.p99),
          unit: 'ms',
        },
        '<',
        limit,
      ),
      { name: 'decision round trip: click → chat.update of that card, max', value: round(u.max), unit: 'ms' },
      {
        name: 'decision round trip: click → compliance card chat.postMessage, p50',
        value: round(c.p50),
        unit: 'ms',
      },
      targeted(
        {
          name: 'decision round trip: click → compliance card chat.postMessage, p99',
          value: round(c.p99),
          unit: 'ms',
        },
        '<',
        limit,
      ),
      {
        name: 'decision round trip: click → compliance card chat.postMessage, max',
        value: round(c.max),
        unit: 'ms',
      },
      targeted(
        {
          name: `decision round trip: consent cards not updated exactly once (of ${cards.length})`,
          value: wrong.notUpdatedOnce,
          unit: 'cards',
          note: `${updateCalls} chat.update calls on the ${cards.length} consent cards (${wrong.updatedTwiceOrMore} cards updated more than once, ${wrong.neverUpdated} never); ${main.postCounts.filter((n) => n > 0).length} compliance cards posted, ${wrong.postedTwiceOrMore} more than once; bot CPU until the last card ${cpuUsed} (the benchmark's own: its clicks and the stand-in Slack); load average (1 / 5 / 15 min) at the clicks ${load}; CPU time taken by the host from the clicks to the last card ${stolenPercent ?? '?'} %; Slack Web API calls per decision: ${calls}${countersNote(countersBefore, countersAfter, cards.length)}`,
        },
        '≤',
        0,
      ),
    ];
    if (smaller.length > 0)
      results.push({
        name: `decision round trip: the largest burst with both p99 under ${limit} ms (of ${bursts.map((b) => b.size).join(', ')})`,
        value: inTime.at(-1)?.size ?? 0,
        unit: 'decisions',
        note: bursts
          .map(({ size, burst }) => {
            const card = spread(burst.toUpdate);
            const compliance = spread(burst.toCompliance);
            return `${size} at once: p50 / p99 to the card ${round(card.p50)} / ${round(card.p99)} ms, to the compliance card ${round(compliance.p50)} / ${round(compliance.p99)} ms`;
          })
          .join('; '),
      });
    const outcome: BenchOutcome = {
      bench: 'decision-round-trip',
      database: bench.label,
      seconds: round(ms(started) / 1000),
      results,
    };
    const failures = [{ size: cards.length, burst: main }, ...smaller]
      .map(({ size, burst }) => ({ size, wrong: exactlyOnce(burst) }))
      .filter(({ wrong: w }) => w.notUpdatedOnce > 0 || w.postedTwiceOrMore > 0);
    if (failures.length > 0)
      outcome.error = `not every card was updated exactly once: ${failures.map(({ size, wrong: w }) => `burst of ${size}: ${w.updatedTwiceOrMore} updated more than once, ${w.neverUpdated} never, ${w.postedTwiceOrMore} compliance cards posted more than once`).join('; ')}`;
    if (DECISIONS !== BURST)
      outcome.notKept = `a burst of ${DECISIONS} (BENCH_DECISIONS), not the benchmark's ${BURST}`;
    return outcome;
  } finally {
    for (const p of running.reverse()) await p.stop(5000).catch(() => undefined);
    await bench.dispose();
  }
}
