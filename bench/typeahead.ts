import { createStore } from '../db/store.js';
import { loadActor } from '../src/app/identity.js';
import { DEFAULT_CONFIG } from '../src/app/deps.js';
import { listAssets } from '../src/app/asset-list.js';
import { openBenchDatabase, query } from './support/database.js';
import { round, targeted, type BenchOutcome } from './support/results.js';
import { between, pick, seeded } from './support/random.js';
import { ms, percentile } from './support/stats.js';
import {
  DEVICE_PIDS,
  LICENSE_PIDS,
  seedBulkAccount,
  TYPEAHEAD_ADMIN,
  TYPEAHEAD_DOMAIN,
} from './typeahead-seed.js';

const LICENSES = 600_000;
const DEVICES = 400_000;
/** What the Slack wizard asks for in an options request (its external selects show up to 100). */
const LIMIT = 100;

interface Probe {
  category: string;
  tab: 'licenses' | 'devices';
  text: string | undefined;
}

interface Sample {
  sales_order: string;
  web_order: string | null;
  subscription_id: string | null;
  pak: string | null;
  serial_number: string;
  host_id: string;
  uuid: string;
}

/** What people type: identifiers copied from an order or a label (whole or in part), product IDs, words, and typos. */
function probes(samples: Sample[]): Probe[] {
  const random = seeded(8);
  const some = () => pick(random, samples);
  const list: Probe[] = [];
  const add = (category: string, tab: Probe['tab'], count: number, make: () => string | undefined) => {
    for (let i = 0; i < count; i++) list.push({ category, tab, text: make() });
  };
  const prefix = (value: string, min: number) => value.slice(0, between(random, min, value.length));
  const descriptions = LICENSE_PIDS.map(([, d]) => d.split(/[\s,]+/));
  const words = [...new Set(descriptions.flat().filter((w) => /^\p{L}{4,}$/u.test(w)))];
  const phrase = () => {
    const d = pick(random, descriptions);
    const at = between(random, 0, d.length - 2);
    return `${d[at]} ${d[at + 1]}`;
  };
  add('opened (no text)', 'licenses', 10, () => undefined);
  add('opened (no text)', 'devices', 10, () => undefined);
  add('sales order prefix', 'licenses', 70, () => prefix(some().sales_order, 3));
  add('sales order, SO: form', 'licenses', 20, () => `SO:${some().sales_order}`);
  add('web order prefix', 'licenses', 20, () =>
    prefix(samples.find((s) => s.web_order)?.web_order ?? 'WO-1', 4),
  );
  add('subscription prefix', 'licenses', 15, () =>
    prefix(
      pick(
        random,
        samples.filter((s) => s.subscription_id),
      ).subscription_id!,
      5,
    ),
  );
  add(
    'PAK',
    'licenses',
    10,
    () =>
      pick(
        random,
        samples.filter((s) => s.pak),
      ).pak!,
  );
  add('license PID prefix', 'licenses', 30, () => prefix(pick(random, LICENSE_PIDS)[0], 3));
  add('free text, a word', 'licenses', 30, () => pick(random, words).toLowerCase());
  add('free text, two words', 'licenses', 15, () => phrase());
  add('no match', 'licenses', 10, () => `zq${between(random, 100, 999)}x`);
  add('no match, words', 'licenses', 5, () =>
    pick(random, [
      'quantum router',
      'blue widget',
      'firewall appliance',
      'wireless gateway',
      'enterprise voice',
    ]),
  );
  add('serial prefix', 'devices', 50, () => prefix(some().serial_number, 3));
  add('device PID prefix', 'devices', 20, () => prefix(pick(random, DEVICE_PIDS), 3));
  add('host ID prefix', 'devices', 15, () => prefix(some().host_id, 5));
  add('UUID prefix', 'devices', 15, () => prefix(some().uuid, 6));
  add('no match', 'devices', 10, () => `QQ${between(random, 100, 999)}`);
  // Interleaved, as several people typing at once would be.
  return list.sort(() => random() - 0.5);
}

/** Benchmark 2: the wizard's asset typeahead (`listAssets`) over a million assets in one Smart Account. */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('typeahead');
  try {
    const seedStart = process.hrtime.bigint();
    await seedBulkAccount(bench.database, { licenses: LICENSES, devices: DEVICES });
    const seedMs = ms(seedStart);
    const samples = await query<Sample>(
      bench.database,
      `select l.sales_order, l.web_order, l.subscription_id, l.pak, d.serial_number, d.host_id, d.uuid
       from (select *, row_number() over () as n from licenses tablesample system (1) limit 300) l
       join (select *, row_number() over () as n from devices tablesample system (1) limit 300) d using (n)`,
    );
    const deps = { store: createStore(bench.database.db), now: () => new Date(), config: DEFAULT_CONFIG };
    const user = await deps.store.users.findUser({ email: TYPEAHEAD_ADMIN });
    const actor = await loadActor(deps, user!, 'slack');
    const all = probes(samples);
    const ask = async (p: Probe) => {
      const t = process.hrtime.bigint();
      const result = await listAssets(deps, actor, { smartAccount: TYPEAHEAD_DOMAIN }, p.tab, p.text, LIMIT);
      if (!result.ok) throw new Error(`typeahead refused: ${result.refusal.message.key}`);
      return { ms: ms(t), rows: result.value.rows.length };
    };
    // Warm the caches the way a running bot has them warm.
    for (const p of all.slice(0, 30)) await ask(p);
    const timings: { probe: Probe; ms: number; rows: number }[] = [];
    for (const probe of all) timings.push({ probe, ...(await ask(probe)) });

    const values = timings.map((t) => t.ms);
    const byCategory = new Map<string, number[]>();
    for (const t of timings)
      byCategory.set(t.probe.category, [...(byCategory.get(t.probe.category) ?? []), t.ms]);
    const worst = [...byCategory.entries()].map(([c, v]) => `${c} ${round(percentile(v, 99))}`).join('; ');
    const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 3);
    const base = 'typeahead';
    return {
      bench: 'typeahead',
      database: bench.label,
      seconds: round(ms(started) / 1000),
      results: [
        {
          name: `${base}: seed ${LICENSES.toLocaleString('en')} licenses + ${DEVICES.toLocaleString('en')} devices in one SA`,
          value: round(seedMs / 1000),
          unit: 's',
        },
        {
          name: `${base} p50 (${timings.length} queries, limit ${LIMIT})`,
          value: round(percentile(values, 50)),
          unit: 'ms',
        },
        targeted(
          {
            name: `${base} p99`,
            value: round(percentile(values, 99)),
            unit: 'ms',
            note: `p99 by kind (ms): ${worst}. Slowest: ${slowest.map((s) => `${s.probe.tab} "${s.probe.text ?? ''}" ${round(s.ms)} ms`).join(', ')}`,
          },
          '<',
          50,
        ),
        { name: `${base} max`, value: round(Math.max(...values)), unit: 'ms' },
      ],
    };
  } finally {
    await bench.dispose();
  }
}
