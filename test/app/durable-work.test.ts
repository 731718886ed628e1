import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { DurableWork } from '../../src/app/durable-work.js';
import type { WorkItem } from '../../src/app/ports/work.js';
import { WorkQueue } from '../../src/app/work-queue.js';
import { copyEmbeddedTemplate, createTestDatabase, drivers } from '../support/db.js';

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

      // The next process starts later than the last lease was taken, as any restart does: on this machine's
      // clock, at least the next millisecond (the same one would make that lease look like its own).
      const diedAt = Date.now();
      while (Date.now() <= diedAt) await new Promise((resolve) => setImmediate(resolve));

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

describe('requests submitted while the database does not answer, and the process killed (embedded database)', () => {
  it('are written to the spool before the ack; the next process records and runs each once, and empties it', async () => {
    const dataDir = copyEmbeddedTemplate();
    const spoolFile = join(dataDir, 'teams-waiting.jsonl');
    const work = (store: ReturnType<typeof createStore>, ran: WorkItem[]) =>
      new DurableWork({
        work: store.work,
        surface: 'teams',
        queue: queue(),
        run: async (item) => void ran.push(item),
        pollMs: 20,
        recordTimeoutMs: 200,
        spoolFile,
        sole: true,
        onError: () => undefined,
      });
    try {
      // The database is out of reach: two messages are acknowledged all the same, the same one twice.
      const gone = await openDatabase({ dataDir });
      await gone.close();
      const first = work(createStore(gone.db), []);
      expect(await first.submit({ requestKey: 'message-1', kind: 'message', payload: { n: 1 } })).toBe(
        'waiting',
      );
      expect(await first.submit({ requestKey: 'message-2', kind: 'message', payload: { n: 2 } })).toBe(
        'waiting',
      );
      expect(await first.submit({ requestKey: 'message-2', kind: 'message', payload: { n: 2 } })).toBe(
        'replay',
      );
      // Killed: nothing of it but the spool on disk. Its file is closed, as the system closes a killed
      // process's files (left open, the collector closes it later, with a warning from Node).
      expect(readFileSync(spoolFile, 'utf8').trim().split('\n')).toHaveLength(2);
      await first.stop(0);
      expect(readFileSync(spoolFile, 'utf8').trim().split('\n')).toHaveLength(2);

      const database = await openDatabase({ dataDir });
      try {
        const ran: WorkItem[] = [];
        const next = work(createStore(database.db), ran);
        next.start();
        const deadline = Date.now() + 10_000;
        while (ran.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await next.stop(1000);
        expect(ran.map((item) => item.payload)).toEqual([{ n: 1 }, { n: 2 }]);
        expect(readFileSync(spoolFile, 'utf8')).toBe('');

        // Another start: nothing left to run again.
        const again: WorkItem[] = [];
        const third = work(createStore(database.db), again);
        third.start();
        await third.poll();
        await third.stop(1000);
        expect(again).toEqual([]);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('acknowledged work beyond a full queue (embedded database)', () => {
  it('waits for a place instead of running beside the queue', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const store = createStore(database.db);
      const durable = new DurableWork({
        work: store.work,
        surface: 'slack',
        queue: new WorkQueue({ concurrency: 1, capacity: 1, onError: () => undefined }),
        run: async () => undefined,
        onError: (err) => {
          throw err;
        },
      });
      // Two commands found room before their acks; by the time the second asks for its place, the
      // first holds the only one.
      const [first, second] = await Promise.all([
        durable.accept('command-1', 'command', { n: 1 }),
        durable.accept('command-2', 'command', { n: 2 }),
      ]);
      if (first.kind !== 'held' || second.kind !== 'held') throw new Error('not recorded');
      const releaseFirst = await durable.slot(first.id);
      let secondStarted = false;
      const secondPlace = durable.slot(second.id).then((release) => {
        secondStarted = true;
        return release;
      });
      // Its place comes when the first gives its own back, not before.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(secondStarted).toBe(false);
      await durable.done(first.id);
      releaseFirst();
      const releaseSecond = await secondPlace;
      await durable.done(second.id);
      releaseSecond();
      await durable.stop(1000);
    } finally {
      await database.dispose();
    }
  });
});
