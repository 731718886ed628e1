import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { licenses } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import type { AppDeps } from '../../src/app/deps.js';
import { requestTransfer } from '../../src/app/request.js';
import { retryLoaded } from '../../src/app/retry.js';
import type { Store } from '../../src/app/ports/store.js';
import type { Actor } from '../../src/domain/types.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { historyOf, toParis } from '../support/transfers.js';
import { actorIn, seededDatabase, type testDeps } from '../support/world.js';

/**
 * One decision reads a transfer as of one moment. Licensing operations' second click on Retry reads the
 * transfer's row, then its items, then its history, each a statement of its own; the first click's retry
 * committing between those reads must not leave it deciding on the status from before and the items from
 * after ("nothing to retry", a refused attempt in the record). The second click waits for the first, then
 * is answered as it was. Only a server runs two transactions at once (PGlite has one connection).
 */
describe.skipIf(!drivers.includes('postgres'))(
  'a decision reads one moment of the transfer (postgres)',
  () => {
    let database: TestDatabase;
    let deps: ReturnType<typeof testDeps>;
    let alice: Actor;
    let olga: Actor;

    beforeAll(async () => {
      ({ database, deps } = await seededDatabase('postgres'));
      [alice, olga] = await Promise.all([actorIn(deps, 'alice'), actorIn(deps, 'olga')]);
    });
    afterAll(() => database.dispose());

    /** Sessions of this database waiting for a lock another holds. */
    async function waitingOnLocks(): Promise<number> {
      const [row] = rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`),
      );
      return row?.n ?? 0;
    }

    /**
     * Services whose every transaction, once it has read a transfer's state, lets `between` run before it
     * reads anything else.
     */
    function pausedAfterState(between: () => Promise<void>): AppDeps {
      const store: Store = {
        ...deps.store,
        transaction: (work) =>
          deps.store.transaction((repos) =>
            work({
              ...repos,
              transfers: {
                ...repos.transfers,
                async loadState(id) {
                  const loaded = await repos.transfers.loadState(id);
                  await between();
                  return loaded;
                },
              },
            }),
          ),
      };
      return { ...deps, store };
    }

    it('a retry clicked twice, the first committing while the second reads: both answered as the one retry', async () => {
      const requested = await requestTransfer(deps, alice, toParis('SO:103-1'));
      if (!requested.ok) throw new Error(requested.refusal.message.key);
      const id = requested.value.state.id;
      await database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '103'));
      const submitted = await submitTransfer(deps, alice, id);
      expect(submitted.ok && submitted.value.status).toBe('transfer_completed_with_failure');
      await database.db.update(licenses).set({ pendingUpgrade: false }).where(eq(licenses.salesOrder, '103'));

      // The second click has read the transfer's row when the first click's retry starts. It goes on once
      // that retry has committed, or once it waits for the second click to finish.
      let first: ReturnType<typeof retryLoaded> | undefined;
      const second = retryLoaded(
        pausedAfterState(async () => {
          if (first) return;
          first = retryLoaded(deps, olga, id);
          let done = false;
          void first.finally(() => (done = true));
          while (!done && (await waitingOnLocks()) === 0) await new Promise((r) => setTimeout(r, 5));
        }),
        olga,
        id,
      );
      const results = [await second, await first!];

      expect(
        results.map((r) => (r.ok ? [r.value.state.status, r.value.retried] : r.refusal.message.key)),
      ).toEqual(Array(2).fill(['transfer_completed', { tried: 1, moved: 1, stillFailing: [], arrived: [] }]));
      const rows = await historyOf(database.db, id);
      expect(rows.filter((h) => h.action === 'retry').map((h) => h.toStatus)).toEqual(['transfer_completed']);
      expect(rows.filter((h) => h.action.startsWith('refused.'))).toEqual([]);
    });
  },
);
