import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/schema.js';
import type { AppDeps } from '../../src/app/deps.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import type { OutboxEntry, OutboxRepository } from '../../src/app/ports/outbox.js';
import { startOutboxPump } from '../../src/delivery/pump.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { msg, type CatalogKey } from '../../src/i18n/index.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { actor, seedWorld, testDeps, type Name } from '../support/world.js';

const never = () => new Promise<never>(() => undefined);

/**
 * A worker's process that dies on cue: until `die()` its calls reach the real database; from then on
 * none returns, as when the process is killed (its renewals stop, its writes never land). With
 * `stallFirstMarkSent`, the first "mark sent" statement never comes back, as one the server is slow to
 * answer when the kill comes.
 */
function mortal(deps: AppDeps, { stallFirstMarkSent = false } = {}) {
  let dead = false;
  let stalled: (() => void) | undefined;
  const markStalled = new Promise<void>((resolve) => (stalled = resolve));
  const real = deps.store.outbox;
  const outboxOfProcess = new Proxy(real, {
    get(target, name: keyof OutboxRepository) {
      return (...args: unknown[]) => {
        if (dead) return never();
        if (name === 'markSent' && stallFirstMarkSent && stalled) {
          stalled();
          stalled = undefined;
          return never();
        }
        return (target[name] as (...args: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return {
    deps: { ...deps, store: { ...deps.store, outbox: outboxOfProcess } },
    markStalled,
    die() {
      dead = true;
    },
  };
}

describe.each(drivers)('outbox after a worker dies, or while a call hangs (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  const people: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db);
    for (const name of ['alice', 'bob', 'carol', 'paul', 'cora', 'olga'] as Name[])
      people.push((await actor(database.db, name)).userId);
  });
  afterAll(() => database.dispose());

  /** Message `n` of a test, to person `n` about a transfer of their own (so each is a lane of its own). */
  const message = (key: string, n: number, transfer = n): OutboxEntry => ({
    dedupeKey: `${key}:${n}`,
    recipientUserId: people[transfer % people.length]!,
    payload: { type: 'message', transferId: `${key}-${transfer}`, text: msg(key as CatalogKey, { n }) },
  });
  const enqueue = (entries: OutboxEntry[]) => deps.store.outbox.enqueue(deps.now(), entries);
  /** How many times each message `n` of a test arrived, in the order they first arrived. */
  const arrivals = (log: Delivery[], key: string) => {
    const seen = new Map<number, number>();
    for (const d of log)
      if (d.kind === 'message' && (d.text.key as string) === key) {
        const n = Number(d.text.params?.['n']);
        seen.set(n, (seen.get(n) ?? 0) + 1);
      }
    return seen;
  };
  const stateOf = async (dedupeKey: string) =>
    (await database.db.select().from(outbox).where(eq(outbox.dedupeKey, dedupeKey)))[0];

  /** A worker that delivers `delivered` messages, then dies with the rest claimed and their calls in flight. */
  async function killedWorker(key: string, delivered: number) {
    const process = mortal(deps);
    const doomed = new RecordingSender({ platform: 'console', freezeFrom: delivered + 1 });
    void drainOutbox(process.deps, { senders: [doomed] });
    await eventually(() => doomed.calls > delivered);
    // Those it delivered are marked before it dies; the others are held under its claim.
    const sent = async () => {
      let count = 0;
      for (let n = 0; n < 6; n++) if ((await stateOf(`${key}:${n}`))?.state === 'sent') count += 1;
      return count;
    };
    while ((await sent()) < delivered) await new Promise((r) => setTimeout(r, 5));
    process.die();
    return doomed;
  }

  it('another instance delivers what a killed one held within a minute, each message once, a later one to the same person after it', async () => {
    const key = 'recovery:killed';
    await enqueue(Array.from({ length: 6 }, (_, n) => message(key, n)));
    const doomed = await killedWorker(key, 2);
    // Written after the kill, to the same person about the same transfer as a message the dead worker held.
    await enqueue([message(key, 6, 5)]);

    deps.advance(40_000);
    const log: Delivery[] = [];
    const summary = await drainOutbox(deps, { senders: [new RecordingSender({ platform: 'console', log })] });

    expect(summary.sent).toBe(5);
    const seen = arrivals([...doomed.log, ...log], key);
    expect([...seen.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...seen.values()].every((times) => times === 1)).toBe(true);
    const order = [...arrivals(log, key).keys()];
    expect(order.indexOf(6)).toBeGreaterThan(order.indexOf(5));
  });

  it('a sole instance (the embedded database) delivers what the killed process held as soon as it starts, and keeps a retry waiting', async () => {
    const key = 'recovery:sole';
    await enqueue([message(key, 0)]);
    // A message Slack asked to get again in ten minutes.
    await drainOutbox(deps, {
      senders: [
        new RecordingSender({
          platform: 'console',
          fail: () => new DeliveryError('HTTP 429', { retryAfterMs: 10 * 60_000 }),
        }),
      ],
      random: () => 0,
    });
    const retry = await stateOf(`${key}:0`);
    expect(retry?.attempts).toBe(1);
    await enqueue(Array.from({ length: 5 }, (_, n) => message(key, n + 1)));
    const doomed = await killedWorker(key, 2);

    // No time passes: the restarted process is alone on the database.
    const log: Delivery[] = [];
    const pump = startOutboxPump(deps, {
      senders: [new RecordingSender({ platform: 'console', log })],
      sole: true,
    });
    try {
      await eventually(() => arrivals(log, key).size === 3);
      const seen = arrivals([...doomed.log, ...log], key);
      expect([...seen.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
      expect([...seen.values()].every((times) => times === 1)).toBe(true);
      expect((await stateOf(`${key}:0`))?.dueAt).toEqual(retry?.dueAt);
    } finally {
      await pump.stop();
    }
  });

  it('a lane goes on only once its message is marked sent: a kill posts again only the one in flight', async () => {
    const key = 'recovery:marks';
    // Two messages to one person about one transfer: one lane, in order.
    await enqueue([message(key, 0, 0), message(key, 1, 0)]);
    const process = mortal(deps, { stallFirstMarkSent: true });
    const doomed = new RecordingSender({ platform: 'console' });
    void drainOutbox(process.deps, { senders: [doomed] });
    // The first has arrived; its "sent" is on its way to the database when the kill comes.
    await process.markStalled;
    expect(await stateOf(`${key}:1`)).toMatchObject({ state: 'pending' });
    process.die();

    deps.advance(6 * 60_000);
    const log: Delivery[] = [];
    await drainOutbox(deps, { senders: [new RecordingSender({ platform: 'console', log })] });
    const seen = arrivals([...doomed.log, ...log], key);
    // The one in flight goes again; the next one waited for its mark, so it arrives once.
    expect(seen.get(0)).toBe(2);
    expect(seen.get(1)).toBe(1);
  });

  it('a call that hangs holds up only its own lane: another person gets their message meanwhile, and the hung lane keeps its order', async () => {
    const key = 'recovery:hang';
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const log: Delivery[] = [];
    const sender = new RecordingSender({
      platform: 'console',
      log,
      during: async (call) => {
        if (call === 1) await released;
      },
    });
    const pump = startOutboxPump(deps, { senders: [sender] });
    try {
      await enqueue([message(key, 0)]);
      pump.kick();
      await eventually(() => sender.calls === 1);
      // Another person's message about another transfer, and the hung person's next one about theirs.
      await enqueue([message(key, 1), message(key, 2, 0)]);
      pump.kick();
      await eventually(() => arrivals(log, key).has(1));
      expect(arrivals(log, key).has(0)).toBe(false);
      release();
      await eventually(() => arrivals(log, key).size === 3);
      const order = [...arrivals(log, key).keys()];
      expect(order.indexOf(2)).toBeGreaterThan(order.indexOf(0));
    } finally {
      release();
      await pump.stop();
    }
  });

  it('a message whose call outlasts the lease stays with its worker: another worker polling meanwhile does not send it again', async () => {
    const key = 'recovery:renewed';
    const live = { ...deps, now: () => new Date() } as AppDeps;
    await live.store.outbox.enqueue(live.now(), [message(key, 0)]);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const log: Delivery[] = [];
    const slow = new RecordingSender({
      platform: 'console',
      log,
      during: async () => {
        await released;
      },
    });
    const first = drainOutbox(live, { senders: [slow], leaseMs: 900 });
    // (Messages of the tests before, due by now on the real clock, may go the same way.)
    await eventually(() => slow.calls >= 1);
    const other = new RecordingSender({ platform: 'console', log });
    // The other worker looks for due messages for three leases' time while the call hangs.
    const until = Date.now() + 2_700;
    while (Date.now() < until) {
      await drainOutbox(live, { senders: [other], leaseMs: 900 });
      await new Promise((r) => setTimeout(r, 50));
    }
    release();
    await first;
    expect(arrivals(log, key).get(0)).toBe(1);
    expect((await stateOf(`${key}:0`))?.state).toBe('sent');
  });
});
