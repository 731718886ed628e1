import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDecision } from '../../src/app/apply.js';
import { transitionsTotal } from '../../src/app/metrics.js';
import { inTransaction, okResult } from '../../src/app/run.js';
import { decideCancel } from '../../src/domain/decide.js';
import type { TestDatabase } from '../support/db.js';
import { pendingSubmission } from '../support/transfers.js';
import { actor, seededDatabase, type testDeps } from '../support/world.js';

async function cancelledCount(): Promise<number> {
  const { values } = await transitionsTotal.get();
  return values.find((v) => v.labels.status === 'cancelled')?.value ?? 0;
}

describe('effects after commit', () => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    ({ database, deps } = await seededDatabase('pglite'));
  });
  afterAll(() => database.dispose());

  it('run once the transaction commits, never when it rolls back, and at once outside one', async () => {
    const ran: string[] = [];
    await deps.store.transaction(async (repos) => {
      repos.afterCommit(() => ran.push('committed'));
      await repos.users.findUser({ email: 'alice@fr-a.example' });
      expect(ran).toEqual([]);
    });
    await expect(
      deps.store.transaction(async (repos) => {
        repos.afterCommit(() => ran.push('rolled back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    deps.store.afterCommit(() => ran.push('no transaction'));
    expect(ran).toEqual(['committed', 'no transaction']);
  });

  describe('on the transitions metric', () => {
    it('does not count a status change whose transaction was rolled back', async () => {
      const id = await pendingSubmission(deps, 'SO:105-1');
      const alice = await actor(database.db, 'alice');
      const before = await cancelledCount();
      await expect(
        inTransaction(deps, async (repos) => {
          const loaded = (await repos.transfers.loadState(id))!;
          const outcome = decideCancel(alice, loaded.state, null);
          if (!outcome.ok) throw new Error('refused');
          await applyDecision(repos, loaded.state, outcome.decision, {
            actor: alice,
            surface: 'console',
            now: deps.now(),
          });
          throw new Error('crash after the change');
        }),
      ).rejects.toThrow('crash after the change');
      expect(await cancelledCount()).toBe(before);
      expect((await deps.store.transfers.loadState(id))!.state.status).toBe('pending_submission');

      await inTransaction(deps, async (repos) => {
        const loaded = (await repos.transfers.loadState(id))!;
        const outcome = decideCancel(alice, loaded.state, null);
        if (!outcome.ok) throw new Error('refused');
        return okResult(
          await applyDecision(repos, loaded.state, outcome.decision, {
            actor: alice,
            surface: 'console',
            now: deps.now(),
          }),
        );
      });
      expect(await cancelledCount()).toBe(before + 1);
    });
  });
});
