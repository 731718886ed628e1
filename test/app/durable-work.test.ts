import { describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { DurableWork } from '../../src/app/durable-work.js';
import { WorkQueue } from '../../src/app/work-queue.js';
import { createTestDatabase, drivers } from '../support/db.js';

const LEASE_MS = 60_000;
const LEFT_BEHIND = 30;

const queue = () => new WorkQueue({ concurrency: 2, capacity: 5, onError: () => undefined });

describe.each(drivers)('acknowledged work left by a process that died (%s)', (driver) => {
  it('is taken over at once by the next process alone on the database, each item once, and not its own', async () => {
    const database = await createTestDatabase(driver);
    try {
      const store = createStore(database.db);
      const fail = (err: unknown) => {
        throw err;
      };
      // A process acknowledges 30 commands, holds them under a minute's lease and dies before any runs.
      const dead = new DurableWork({
        work: store.work,
        surface: 'slack',
        queue: queue(),
        run: async () => undefined,
        leaseMs: LEASE_MS,
        onError: fail,
      });
      for (let n = 0; n < LEFT_BEHIND; n++) {
        expect((await dead.accept(`command-${n}`, 'command', { n })).kind).toBe('held');
      }

      // The next process has room for five at a time: it must not wait a minute for the other leases.
      const ran: unknown[] = [];
      let allRan!: () => void;
      const everyOneRan = new Promise<void>((resolve) => (allRan = resolve));
      const next = new DurableWork({
        work: store.work,
        surface: 'slack',
        queue: queue(),
        run: async (item) => {
          ran.push(item.payload.n);
          if (ran.length === LEFT_BEHIND) allRan();
        },
        leaseMs: LEASE_MS,
        pollMs: 20,
        sole: true,
        onError: fail,
      });
      next.start();
      await everyOneRan;

      // A command it acknowledges itself is held by it, not claimed again by its own polling.
      expect((await next.accept('its-own', 'command', { n: 'its-own' })).kind).toBe('held');
      await next.poll();
      await next.poll();
      await next.stop(1000);

      expect([...ran].sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: LEFT_BEHIND }, (_, n) => n),
      );
    } finally {
      await database.dispose();
    }
  });
});
