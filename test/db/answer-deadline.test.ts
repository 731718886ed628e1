import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ping, rowsOf } from '../../db/client.js';
import { startProxiedDatabase, type ProxiedDatabase } from '../support/proxied-database.js';

const DEADLINE_MS = 2_000;

/** How a promise ended within `ms`: its value, its error, or still waiting. */
async function within<T>(promise: Promise<T>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<{ waiting: true }>((resolve) => {
    timer = setTimeout(() => resolve({ waiting: true }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      waiting,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The pool reaches PostgreSQL through a proxy that holds every byte (a network dropping packets), with a
 * deadline of one second on the server's answers; the test reads the database directly.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a server that stops answering (PostgreSQL)', () => {
  let database: ProxiedDatabase;

  beforeAll(async () => {
    database = await startProxiedDatabase({ answerDeadlineMs: DEADLINE_MS, connectDeadlineMs: 1_000 });
    await database.direct.db.execute(sql`create table stall_probe (id int primary key, note text not null)`);
    await database.direct.db.execute(sql`insert into stall_probe values (1, 'before')`);
  }, 60_000);

  afterAll(async () => {
    await database?.close();
  });

  const backendAlive = async (pid: number) =>
    rowsOf<{ n: number }>(
      await database.direct.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where pid = ${pid}`,
      ),
    )[0]!.n > 0;

  it('a transaction whose COMMIT the network holds fails within the deadline, and is not applied once the network passes again', async () => {
    const { proxied, proxy } = database;
    let pid = 0;
    const started = Date.now();
    const transaction = proxied.db.transaction(async (tx) => {
      pid = rowsOf<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`))[0]!.pid;
      await tx.execute(sql`update stall_probe set note = 'after' where id = 1`);
      // The network stops passing just as the COMMIT goes out.
      proxy.stall();
    });
    const outcome = await within(transaction, DEADLINE_MS + 4_000);
    expect(outcome).toHaveProperty('error');
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 2_000);

    await proxy.restore();
    // The server hears of the reset and ends that session: its transaction is rolled back, not committed.
    for (let tries = 0; await backendAlive(pid); tries++) {
      expect(tries, `backend ${pid} still open`).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [row] = rowsOf<{ note: string }>(
      await database.direct.db.execute(sql`select note from stall_probe where id = 1`),
    );
    expect(row?.note).toBe('before');

    // The same pool works again.
    await proxied.db.execute(sql`update stall_probe set note = 'again' where id = 1`);
    const [again] = rowsOf<{ note: string }>(
      await database.direct.db.execute(sql`select note from stall_probe where id = 1`),
    );
    expect(again?.note).toBe('again');
  }, 30_000);

  it('is not healthy while a connection has waited half its deadline, even when another answers', async () => {
    const { proxied } = database;
    // One connection silent for 1.5 s, within the deadline, so it is not ended (drizzle sends a query
    // when it is awaited or given a callback).
    const slow = proxied.db.execute(sql`select pg_sleep(1.5)`).then(() => undefined);
    expect(await ping(proxied.db)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS / 2 + 100));
    expect(await ping(proxied.db)).toBe(false);
    await slow;
    expect(await ping(proxied.db)).toBe(true);
  }, 30_000);
});
