import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { DEFAULT_CONFIG } from '../../src/app/deps.js';
import { loadConfig } from '../../src/config.js';
import { FORGET_BATCH, forgetDeliveredMessages } from '../../src/delivery/retention.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { rowsReadBy } from '../support/rows-read.js';

const D = 86_400_000;
const NOW = new Date('2026-12-07T09:00:00Z');
const KEEP = 90 * D;
const OLD = 3_000;
const YOUNG = 1_000;

/**
 * The outbox forgets what it delivered (or gave up on) once OUTBOX_KEEP has passed since it was written,
 * oldest first, a bounded batch at a time; what is still pending stays, whatever its age.
 */
describe.each(drivers)('forgetting delivered messages (%s)', (driver) => {
  let database: TestDatabase;
  let store: ReturnType<typeof createStore>;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    store = createStore(database.db);
    // 3,000 messages written 100 days ago (every 100th still pending, every 7th given up on), then
    // 1,000 written yesterday, delivered.
    await database.db.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state, sent_at)
      select 'm:' || g, at, at, g % 50 + 1, jsonb_build_object('type', 'message'),
             (case when g <= ${OLD} and g % 100 = 0 then 'pending'
                   when g % 7 = 0 then 'dead' else 'sent' end)::outbox_state,
             case when g % 7 <> 0 and not (g <= ${OLD} and g % 100 = 0) then at + interval '1 second' end
      from generate_series(1, ${OLD + YOUNG}) g,
           lateral (select case when g <= ${OLD} then ${NOW.toISOString()}::timestamptz - interval '100 days'
                                else ${NOW.toISOString()}::timestamptz - interval '1 day' end as at) w`);
  });
  afterAll(() => database.dispose());

  const left = async () =>
    rowsOf<{ key: string; state: string; old: boolean }>(
      await database.db.execute(sql`
        select dedupe_key as key, state::text as state,
               created_at < ${new Date(NOW.getTime() - KEEP).toISOString()}::timestamptz as old
        from outbox order by id`),
    );

  it('forgets, oldest first and a batch at a time, what is no longer pending; keeps the pending and the young', async () => {
    const writtenBefore = new Date(NOW.getTime() - KEEP);
    // The first 2,000 written: 20 pending among them.
    expect(await store.outbox.forgetDelivered(writtenBefore, FORGET_BATCH)).toBe(FORGET_BATCH - 20);
    // Then the 2,000 oldest left: those 20, the 1,000 old ones after them (10 pending), 980 young ones.
    expect(await store.outbox.forgetDelivered(writtenBefore, FORGET_BATCH)).toBe(990);
    expect(await store.outbox.forgetDelivered(writtenBefore, FORGET_BATCH)).toBe(0);
    const rows = await left();
    expect(rows.filter((r) => r.old).map((r) => r.state)).toEqual(Array(30).fill('pending'));
    expect(rows.filter((r) => !r.old)).toHaveLength(YOUNG);
  });

  it('reads one row when nothing is old enough, however many messages the outbox holds', async () => {
    // The old pending ones delivered and forgotten: the oldest message left was written yesterday.
    await database.db.execute(sql`update outbox set state = 'sent', sent_at = now() where state = 'pending'`);
    await store.outbox.forgetDelivered(new Date(NOW.getTime() - KEEP), FORGET_BATCH);
    // As a server's autovacuum leaves it, and the embedded database's own upkeep on the same tick: the
    // forgotten rows' space reclaimed, the statistics gathered again.
    await database.db.execute(sql`vacuum analyze outbox`);
    const { value, rowsRead } = await rowsReadBy(database.db, 'outbox', (tx) =>
      createStore(tx).outbox.forgetDelivered(new Date(NOW.getTime() - KEEP), FORGET_BATCH),
    );
    expect(value).toBe(0);
    expect(rowsRead).toBeGreaterThan(0);
    // Without the look at the oldest message first: the 1,000 young ones.
    expect(rowsRead).toBeLessThanOrEqual(5);
    expect(await left()).toHaveLength(YOUNG);
  });

  it('goes by OUTBOX_KEEP: a batch a tick, every batch for `jobs run`, none with 0', async () => {
    await database.db.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state, sent_at)
      select 'n:' || g, ${NOW.toISOString()}::timestamptz, ${NOW.toISOString()}::timestamptz, 1,
             jsonb_build_object('type', 'message'), 'sent', ${NOW.toISOString()}::timestamptz
      from generate_series(1, 4000) g`);
    const deps = { store, now: () => NOW, config: { ...DEFAULT_CONFIG, keepDeliveredMs: 0 } };
    const later = new Date(NOW.getTime() + 400 * D);
    expect(await forgetDeliveredMessages(deps, later, Infinity)).toBe(0);
    expect(await left()).toHaveLength(YOUNG + 4000);
    // The default, 90 days: a year later every one of them is due; a tick takes one batch, `jobs run` the rest.
    const byDefault = { ...deps, config: DEFAULT_CONFIG };
    expect(await forgetDeliveredMessages(byDefault, later)).toBe(FORGET_BATCH);
    expect(await forgetDeliveredMessages(byDefault, later, Infinity)).toBe(YOUNG + 4000 - FORGET_BATCH);
    expect(await left()).toHaveLength(0);
  });
});

describe('OUTBOX_KEEP', () => {
  it('is 90 days when unset, a duration when set, 0 to keep every message; anything else is refused by name', () => {
    const keep = (value?: string) => {
      const result = loadConfig(value === undefined ? {} : { OUTBOX_KEEP: value });
      return result.ok ? result.config.OUTBOX_KEEP : result.errors;
    };
    expect(keep()).toBe(KEEP);
    expect(keep('30d')).toBe(30 * D);
    expect(keep('0')).toBe(0);
    expect(keep('a while')).toEqual(['OUTBOX_KEEP: expected a duration such as 30s, 15m, 24h or 7d, or 0']);
  });
});
