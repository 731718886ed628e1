import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, inArray, sql, type SQL } from 'drizzle-orm';
import { outbox } from '../../db/schema.js';
import { createStore } from '../../db/store.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { rowsReadBy, rowsReadSoFar } from '../support/rows-read.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const LEASE = new Date('2026-12-07T09:05:00Z');
/** What a reminder sweep leaves: far more messages due than a worker takes at a time. */
const BACKLOG = 3_000;
const BATCH = 25;

/**
 * What the outbox held before the sweep, and so what its statistics say when the sweep's messages arrive:
 * gathered over that outbox, then gathered again once its messages were delivered and gone (not whatever
 * an earlier test left in a reused database: an analyze of an empty table keeps the columns' statistics).
 */
const histories = [
  // A quiet outbox: a hundred messages about as many transfers.
  ['quiet before', 100, true],
  // A busy spell, then emptied: many pages with no rows on them, so every way of reading it looks as cheap.
  ['busy before, now empty', 4000, true],
  // Statistics that say every message is about one transfer, as a test's may.
  ['one transfer before', 100, false],
] as const;

/**
 * A worker claims a batch from the outbox the way a backlog left by a reminder sweep needs: its cost is the
 * batch's, however many messages wait. Each row a claim reads is counted by PostgreSQL itself
 * (`rowsReadBy`, the statistics of the claim's own transaction), so the test holds whatever
 * the machine's speed. Before the claim walked the due messages in order, it read every pending message
 * and asked, for each, about every other one: at 30,000 waiting, 2.4 s a claim on the server and 5 s on
 * the embedded database, in the bot's own thread. Marking a batch sent costs its batch as well: before it
 * did, a mark of 25 with 30,000 waiting took 18–25 ms on the server and 27–33 ms embedded (2.2–6.2 ms since).
 */
describe.each(
  drivers.flatMap((driver) => histories.map(([name, rows, many]) => [driver, name, rows, many] as const)),
)('claiming from a large outbox and marking it sent (%s, %s)', (driver, _history, rows, manyTransfers) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.db.execute(sql`
        insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state)
        select 'before:' || g, now(), now(), g % 500 + 1,
               jsonb_build_object('type', 'message', 'transferId',
                                  case when ${manyTransfers} then 'AT-B' || g else 'AT-B' end), 'sent'
        from generate_series(1, ${rows}) g`);
    await database.db.execute(sql`analyze outbox`);
    await database.db.execute(sql`delete from outbox`);
    await database.db.execute(sql`analyze outbox`);
    // Messages to 500 people about 1,500 transfers, every tenth to the compliance channel, due over the
    // last seven seconds; none needs a person's row (recipients are not a foreign key).
    await database.db.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, recipient_channel, payload)
      select 'backlog:' || g, ${NOW.toISOString()}::timestamptz,
             ${NOW.toISOString()}::timestamptz - (g % 7) * interval '1 second',
             case when g % 10 = 0 then null else g % 500 + 1 end,
             case when g % 10 = 0 then 'compliance' end,
             jsonb_build_object('type', 'reminder', 'transferId', 'AT-' || (g % 1500))
      from generate_series(1, ${BACKLOG}) g`);
  });
  afterAll(() => database.dispose());

  /** A claim in a transaction rolled back afterwards, with the rows it read from the outbox. */
  async function claimCounted(limit = BATCH, before?: SQL): Promise<{ keys: string[]; rowsRead: number }> {
    const { value: keys, rowsRead } = await rowsReadBy(database.db, 'outbox', async (tx) => {
      if (before) await tx.execute(before);
      const claimed = await createStore(tx).outbox.claimDue(NOW, LEASE, limit);
      return claimed.map((c) => c.row.dedupeKey);
    });
    return { keys, rowsRead };
  }

  it('takes the earliest due messages no earlier one holds back, reading about a batch of rows for it', async () => {
    const { keys, rowsRead } = await claimCounted();
    // Due first: the rows seven seconds old (g % 7 = 6), in the order they were written. A row is held
    // back by the one written 1,500 rows before it: same person or channel, same transfer.
    const expected = Array.from({ length: BACKLOG }, (_, i) => i + 1)
      .filter((g) => g <= 1500)
      .sort((a, b) => (b % 7) - (a % 7) || a - b)
      .slice(0, BATCH)
      .sort((a, b) => a - b)
      .map((g) => `backlog:${g}`);
    expect(keys).toEqual(expected);
    expect(rowsRead).toBeGreaterThan(0);
    // 100 on both databases and in every history: each message taken, and for each the messages pending
    // about its transfer to its recipient (here itself and the one 1,500 rows on). Before, 4,525 (every
    // message due, and the transfer's index for each), then 75,050 after a busy spell (every pending message
    // for each) and 2,275 on PostgreSQL 15 with the statistics of a quiet outbox (every earlier message).
    expect(rowsRead).toBeLessThanOrEqual(BATCH * 6);
  });

  it('takes a message once the earlier one that held it back is sent, and none still held back', async () => {
    // The messages of every seventh second-but-three are sent: the ones written 1,500 rows after them wait
    // no longer, the others still do. 500 reach past the first two seconds' free messages into those.
    const sent = (g: number) => g <= 1500 && g % 7 === 3;
    const { keys } = await claimCounted(
      500,
      sql`update outbox set state = 'sent' where dedupe_key in (
            select 'backlog:' || g from generate_series(1, 1500) g where g % 7 = 3)`,
    );
    const expected = Array.from({ length: BACKLOG }, (_, i) => i + 1)
      .filter((g) => !sent(g) && !(g > 1500 && !sent(g - 1500)))
      .sort((a, b) => (b % 7) - (a % 7) || a - b)
      .slice(0, 500)
      // A claim answers its rows in the order they were written.
      .sort((a, b) => a - b);
    expect(expected.filter((g) => g > 1500).length).toBeGreaterThan(50);
    expect(keys).toEqual(expected.map((g) => `backlog:${g}`));
  });

  it('marks a batch sent reading about its own rows, however many messages wait', async () => {
    const { value } = await rowsReadBy(database.db, 'outbox', async (tx) => {
      const store = createStore(tx);
      const claimed = await store.outbox.claimDue(NOW, LEASE, BATCH);
      const before = await rowsReadSoFar(tx, 'outbox');
      const marked = await store.outbox.markSent(
        claimed.map((c, n) => ({
          claimed: c,
          deliveredTo: { deliveries: [{ platform: 'slack', id: `m${n}` }] },
        })),
        NOW,
      );
      const rowsRead = (await rowsReadSoFar(tx, 'outbox')) - before;
      const rows = await tx
        .select({ state: outbox.state, deliveredTo: outbox.deliveredTo })
        .from(outbox)
        .where(inArray(outbox.id, [...marked]))
        .orderBy(asc(outbox.id));
      return { claimed, marked, rowsRead, rows };
    });
    expect(value.claimed).toHaveLength(BATCH);
    expect(value.marked).toEqual(new Set(value.claimed.map((c) => c.row.id)));
    expect(value.rows).toEqual(
      value.claimed.map((_, n) => ({
        state: 'sent',
        deliveredTo: { deliveries: [{ platform: 'slack', id: `m${n}` }] },
      })),
    );
    expect(value.rowsRead).toBeGreaterThan(0);
    // The batch's own rows, found through the primary key (which still holds each row's version from before
    // the claim): 72–75 on both databases and in every history. Before, 3,025 on the server: every pending
    // message as well (3,000 here; after an outage, every message it held back), as the statement took
    // them all through the index of pending messages and hashed them to find its batch, the statistics
    // saying few wait.
    expect(value.rowsRead).toBeLessThanOrEqual(BATCH * 4);
  });
});
