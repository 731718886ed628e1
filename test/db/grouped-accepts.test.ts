import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { workItems } from '../../db/schema.js';
import type { NewWorkItem } from '../../src/app/ports/work.js';
import type { Store } from '../../src/app/ports/store.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

const NOW = new Date('2026-12-04T10:00:00Z');
const LEASE = { leaseUntil: new Date('2026-12-04T10:05:00Z') };

const request = (key: string, text = 'list'): NewWorkItem => ({
  requestKey: key,
  surface: 'slack',
  kind: 'command',
  payload: { command: '/transfer', text },
});

describe.each(drivers)('requests recorded at the same moment, before their acks (%s)', (driver) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    store = createStore(database.db);
  });
  afterAll(() => database?.dispose());

  const recorded = async (prefix: string) =>
    (await database.db.select().from(workItems)).filter((row) => row.requestKey.startsWith(prefix));

  it('records each of 50 requests arriving together, each with its own id and payload', async () => {
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, n) => store.work.accept(request(`many:${n}`, `show ${n}`), NOW, LEASE)),
    );
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(50);
    const rows = await recorded('many:');
    expect(rows).toHaveLength(50);
    for (const [n, id] of ids.entries()) {
      const row = rows.find((r) => r.id === id)!;
      expect(row.requestKey).toBe(`many:${n}`);
      expect(row.payload).toEqual({ command: '/transfer', text: `show ${n}` });
      expect(row.leaseUntil).toEqual(LEASE.leaseUntil);
      expect(row.attempts).toBe(1);
      expect(row.doneAt).toBeNull();
    }
  });

  it('the same request twice at the same moment, or again later, is recorded once: the others are replays', async () => {
    const [first, second, other] = await Promise.all([
      store.work.accept(request('twice:a'), NOW, LEASE),
      store.work.accept(request('twice:a'), NOW, LEASE),
      store.work.accept(request('twice:b'), NOW, { leaseUntil: null, doneAt: NOW }),
    ]);
    expect([first, second].filter((id) => id === null)).toHaveLength(1);
    expect(typeof (first ?? second)).toBe('number');
    expect(typeof other).toBe('number');
    expect(await store.work.accept(request('twice:a'), NOW, LEASE)).toBeNull();
    const rows = await recorded('twice:');
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.requestKey === 'twice:b')?.doneAt).toEqual(NOW);
  });

  it('the leases of a full queue (1,000 requests) are renewed and given up at once, and done requests keep theirs', async () => {
    const ids = (await Promise.all(
      Array.from({ length: 1000 }, (_, n) => store.work.accept(request(`held:${n}`), NOW, LEASE)),
    )) as number[];
    const done = ids.filter((_, n) => n % 10 === 0);
    await store.work.finish(done, NOW);
    const later = new Date('2026-12-04T10:10:00Z');
    await store.work.extend(ids, later);
    let rows = await recorded('held:');
    expect(rows.filter((r) => r.doneAt === null).map((r) => r.leaseUntil)).toEqual(Array(900).fill(later));
    expect(rows.filter((r) => r.doneAt !== null).map((r) => r.leaseUntil)).toEqual(
      Array(100).fill(LEASE.leaseUntil),
    );
    await store.work.release(ids);
    rows = await recorded('held:');
    expect(rows.filter((r) => r.doneAt === null).every((r) => r.leaseUntil === null)).toBe(true);
    expect(rows.filter((r) => r.doneAt !== null).map((r) => r.leaseUntil)).toEqual(
      Array(100).fill(LEASE.leaseUntil),
    );
  });

  it('a request the database refuses fails alone: the others sent with it are recorded', async () => {
    const results = await Promise.allSettled(
      ['bad:0', 'bad:1', 'bad:2', 'bad:3'].map((key, n) =>
        store.work.accept(request(key, n === 2 ? 'show\u0000' : 'list'), NOW, LEASE),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await recorded('bad:')).map((r) => r.requestKey).sort()).toEqual(['bad:0', 'bad:1', 'bad:3']);
  });
});
