import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { outbox, users } from '../../db/schema.js';
import type { OutboxEntry } from '../../src/app/ports/outbox.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { msg, type CatalogKey } from '../../src/i18n/index.js';
import { createTestDatabase, racers, type TestDatabase } from '../support/db.js';
import { RecordingSender, seededRandom, type Delivery } from '../support/recording-sender.js';
import { seedWorld, testDeps } from '../support/world.js';

/** How many times each numbered test message reached a platform. */
function tally(log: Delivery[], prefix: string): Map<number, number> {
  const seen = new Map<number, number>();
  for (const d of log) {
    if (d.kind !== 'message' || d.text.key !== prefix) continue;
    const n = Number(d.text.params?.['n']);
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  return seen;
}

describe.each(racers)('outbox workers at once, $driver: $race', ({ driver }) => {
  let database: TestDatabase;
  /** A second, independent connection pool on a real server; the same single connection on PGlite. */
  let other: Database;
  let deps: ReturnType<typeof testDeps>;
  let people: number[];

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db);
    other = database.url ? await openDatabase({ databaseUrl: database.url, max: 10 }) : database;
    people = (await database.db.select({ id: users.id }).from(users)).map((u) => u.id);
  });
  afterAll(async () => {
    if (other !== database) await other.close();
    await database.dispose();
  });

  async function enqueueNumbered(key: string, count: number): Promise<void> {
    const entries: OutboxEntry[] = Array.from({ length: count }, (_, n) => ({
      dedupeKey: `${key}:${n}`,
      recipientUserId: people[n % people.length]!,
      payload: { type: 'message', text: msg(key as CatalogKey, { n }) },
    }));
    for (let i = 0; i < entries.length; i += 250)
      await deps.store.outbox.enqueue(deps.now(), entries.slice(i, i + 250));
  }

  const stateOf = async (key: string) =>
    (await database.db.select({ state: outbox.state, dedupeKey: outbox.dedupeKey }).from(outbox)).filter(
      (r) => r.dedupeKey.startsWith(`${key}:`),
    );

  it('two workers on separate connections deliver 1,000 due messages exactly once', async () => {
    await enqueueNumbered('race:plain', 1000);
    const log: Delivery[] = [];
    const a = new RecordingSender({ platform: 'console', log, latencyMs: 1 });
    const b = new RecordingSender({ platform: 'console', log, latencyMs: 1 });
    const started = performance.now();
    const [sa, sb] = await Promise.all([
      drainOutbox(deps, { senders: [a] }),
      drainOutbox({ ...deps, store: createStore(other.db) }, { senders: [b] }),
    ]);
    const seconds = (performance.now() - started) / 1000;

    const seen = tally(log, 'race:plain');
    expect(seen.size).toBe(1000);
    expect([...seen.values()].every((times) => times === 1)).toBe(true);
    expect(sa.sent + sb.sent).toBe(1000);
    // Both took part: the claims split the work rather than one worker waiting for the other.
    expect(sa.sent).toBeGreaterThan(0);
    expect(sb.sent).toBeGreaterThan(0);
    expect((await stateOf('race:plain')).every((r) => r.state === 'sent')).toBe(true);
    console.info(
      `[${driver}] 1,000 messages, 2 workers: ${seconds.toFixed(2)} s (${Math.round(1000 / seconds)}/s), split ${sa.sent}/${sb.sent}`,
    );
  });

  it('a platform failing half the calls and a worker killed mid-batch still end with every message delivered exactly once', async () => {
    const key = 'race:flaky';
    await enqueueNumbered(key, 400);
    const log: Delivery[] = [];

    // This worker's process dies after 30 calls: the sends in flight never return, its claims are never finished.
    const doomed = new RecordingSender({ platform: 'console', log, freezeFrom: 31 });
    void drainOutbox(deps, { senders: [doomed] });
    while (doomed.calls < 31) await new Promise((r) => setTimeout(r, 5));

    const random = seededRandom(42);
    let failures = 0;
    const flaky = () =>
      new RecordingSender({
        platform: 'console',
        log,
        fail: () => {
          const roll = random();
          if (roll >= 0.5) return undefined;
          failures += 1;
          return roll < 0.25
            ? new DeliveryError('HTTP 429', { retryAfterMs: 30_000 })
            : new Error('HTTP 500');
        },
      });
    const [one, two] = [flaky(), flaky()];
    const worker = { maxAttempts: 40, leaseMs: 5 * 60_000 };
    let rounds = 0;
    for (; rounds < 60; rounds++) {
      await Promise.all([
        drainOutbox(deps, { ...worker, senders: [one] }),
        drainOutbox({ ...deps, store: createStore(other.db) }, { ...worker, senders: [two] }),
      ]);
      if ((await stateOf(key)).every((r) => r.state !== 'pending')) break;
      // Past every backoff and Retry-After, and past the dead worker's lease.
      deps.advance(6 * 60_000);
    }

    const seen = tally(log, key);
    expect(failures).toBeGreaterThan(200);
    expect(seen.size).toBe(400);
    expect([...seen.entries()].filter(([, times]) => times !== 1)).toEqual([]);
    expect((await stateOf(key)).every((r) => r.state === 'sent')).toBe(true);
    // The dead worker did deliver some before it died; the others finished its batch, none twice.
    expect(
      doomed.log.filter((d) => d.kind === 'message' && (d.text.key as string) === key).length,
    ).toBeGreaterThan(0);
    console.info(
      `[${driver}] 400 messages, ${failures} injected failures, 1 worker killed: done in ${rounds + 1} rounds`,
    );
  });

  it('a stopped worker gives back the messages it claimed but did not try, for another worker to send at once', async () => {
    const key = 'race:stop';
    await enqueueNumbered(key, 20);
    const log: Delivery[] = [];
    const controller = new AbortController();
    const stopping = new RecordingSender({
      platform: 'console',
      log,
      during: async (n) => {
        if (n === 3) controller.abort();
      },
    });
    const first = await drainOutbox(deps, {
      senders: [stopping],
      signal: controller.signal,
      concurrency: 1,
      batchSize: 20,
    });
    expect(first.sent).toBe(3);
    expect(first.released).toBe(17);
    // No clock change: the released rows are due now, not at the end of the lease.
    const second = await drainOutbox(deps, { senders: [new RecordingSender({ platform: 'console', log })] });
    expect(second.sent).toBe(17);
    const seen = tally(log, key);
    expect(seen.size).toBe(20);
    expect([...seen.values()].every((t) => t === 1)).toBe(true);
    const [sample] = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `${key}:19`));
    expect(sample?.state).toBe('sent');
  });
});
