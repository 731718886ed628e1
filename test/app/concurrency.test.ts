import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  consents,
  history,
  licenses,
  outbox,
  refusalCounts,
  transferItems,
  transfers,
} from '../../db/schema.js';
import { consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { retryLoaded } from '../../src/app/retry.js';
import { requestTransfer, type RequestInput } from '../../src/app/request.js';
import type { Result } from '../../src/app/run.js';
import type { Actor } from '../../src/domain/types.js';
import { racers, type TestDatabase } from '../support/db.js';
import { historyOf, toBelgium, toParis } from '../support/transfers.js';
import { actor, EMAILS, seededDatabase, type testDeps } from '../support/world.js';

/**
 * Twenty people (or twenty retried clicks) pressing the same button at once: on PostgreSQL each call runs
 * in its own pooled connection, so the compare-and-set really races; PGlite serialises them, which must
 * give the same answer.
 */
const RACERS = 20;

function race<T>(fn: () => Promise<Result<T>>): Promise<Result<T>[]> {
  return Promise.all(Array.from({ length: RACERS }, fn));
}

function refusalKeys<T>(results: Result<T>[]): string[] {
  return results.flatMap((r) => (r.ok ? [] : [r.refusal.message.key]));
}

describe.each(racers)('identical decisions at once, $driver: $race', ({ driver }) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let alice: Actor;
  let bob: Actor;
  let cora: Actor;
  let olga: Actor;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    [alice, bob, cora, olga] = await Promise.all([
      actor(database.db, 'alice', 'slack'),
      actor(database.db, 'bob', 'teams'),
      actor(database.db, 'cora', 'slack'),
      actor(database.db, 'olga', 'teams'),
    ]);
  });
  afterAll(() => database.dispose());

  /** Refusals of `action` on the transfer, counted: the history keeps the first of each minute. */
  async function refusalsCounted(id: string, action: string): Promise<number> {
    const rows = await database.db
      .select({ count: refusalCounts.count })
      .from(refusalCounts)
      .where(and(eq(refusalCounts.transferId, id), eq(refusalCounts.action, action)));
    return rows.reduce((sum, r) => sum + r.count, 0);
  }

  async function request(input: RequestInput): Promise<string> {
    const requested = await requestTransfer(deps, alice, input);
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    return requested.value.state.id;
  }

  /**
   * What the transfer has queued to tell, one line per message: what (`message`, `card compliance`,
   * `card_refresh`) to whom (a person, the compliance channel, or every posted copy of its cards).
   */
  async function queued(id: string): Promise<{ id: number; line: string }[]> {
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    return rows
      .filter((row) => row.payload.transferId === id)
      .map((row) => {
        const to =
          row.recipientUserId !== null
            ? `user ${row.recipientUserId}`
            : (row.recipientChannel ?? 'card copies');
        const what = row.payload.decision ? `${row.payload.type} ${row.payload.decision}` : row.payload.type;
        return { id: row.id, line: `${what} → ${to}` };
      });
  }

  /** The lines queued since `before` was read, sorted. */
  async function queuedSince(id: string, before: { id: number }[]): Promise<string[]> {
    const seen = new Set(before.map((row) => row.id));
    return (await queued(id))
      .filter((row) => !seen.has(row.id))
      .map((row) => row.line)
      .sort();
  }

  async function version(id: string): Promise<number> {
    const [row] = await database.db
      .select({ version: transfers.version })
      .from(transfers)
      .where(eq(transfers.id, id));
    return row!.version;
  }

  it(`${RACERS} identical consents by the transferee: one decision, the repeats answered as it was, no refusal recorded`, async () => {
    const id = await request(toBelgium('SO:100-1'));
    await submitTransfer(deps, alice, id);
    const queuedBefore = await queued(id);
    const versionBefore = await version(id);

    const results = await race(() => consentTransfer(deps, bob, id, 'approve'));

    // Bob's own decision, clicked again (or taken up again after a restart): each click reads the
    // transfer as his approval left it, and none is a refused attempt in the history Alice reads.
    expect(refusalKeys(results)).toEqual([]);
    expect(results.map((r) => r.ok && r.value.status)).toEqual(Array(RACERS).fill('compliance_screening'));
    expect(await version(id)).toBe(versionBefore + 1);

    const rows = await historyOf(database.db, id);
    const decided = rows.filter((h) => h.action === 'consent.approve');
    expect(decided.map((h) => [h.fromStatus, h.toStatus, h.actor])).toEqual([
      ['awaiting_consent', 'compliance_screening', EMAILS.bob],
    ]);
    expect(rows.filter((h) => h.action.startsWith('refused.'))).toEqual([]);

    const [consent] = await database.db.select().from(consents).where(eq(consents.transferId, id));
    expect(consent).toMatchObject({ decision: 'approved', decidedById: bob.userId });

    // One set of messages: the requester's status message, the compliance card, the refresh of Bob's card.
    expect(await queuedSince(id, queuedBefore)).toEqual(
      [`message → user ${alice.userId}`, 'card compliance → compliance', 'card_refresh → card copies'].sort(),
    );
  });

  it(`${RACERS} identical screening approvals: the transfer runs once`, async () => {
    const id = await request(toBelgium('SN:FOC0001'));
    await submitTransfer(deps, alice, id);
    await consentTransfer(deps, bob, id, 'approve');
    const queuedBefore = await queued(id);

    const results = await race(() => screenTransfer(deps, cora, id, 'approve'));

    expect(refusalKeys(results)).toEqual([]);
    expect(results.map((r) => r.ok && r.value.status)).toEqual(Array(RACERS).fill('transfer_completed'));

    const rows = await historyOf(database.db, id);
    const steps = rows
      .filter((h) => h.action === 'screen.approve' || h.action === 'execute')
      .map((h) => `${h.action}:${h.toStatus}`);
    expect(steps).toEqual(['screen.approve:transfer_initiated', 'execute:transfer_completed']);
    expect(rows.filter((h) => h.action.startsWith('refused.'))).toEqual([]);

    const items = await database.db.select().from(transferItems).where(eq(transferItems.transferId, id));
    expect(items.map((i) => [i.result, i.open])).toEqual([['transferred', false]]);

    // Two changes (screened, then transferred), each told once to the requester and to the transferee,
    // and the compliance card's copies redrawn once.
    expect(await queuedSince(id, queuedBefore)).toEqual(
      [
        `message → user ${alice.userId}`,
        `message → user ${alice.userId}`,
        `message → user ${bob.userId}`,
        `message → user ${bob.userId}`,
        'card_refresh → card copies',
      ].sort(),
    );
  });

  it(`${RACERS} identical retries by licensing operations: one pass, each answered as it went, no refusal recorded`, async () => {
    const id = await request(toParis('SO:103-1'));
    await database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '103'));
    const submitted = await submitTransfer(deps, alice, id);
    expect(submitted.ok && submitted.value.status).toBe('transfer_completed_with_failure');
    await database.db.update(licenses).set({ pendingUpgrade: false }).where(eq(licenses.salesOrder, '103'));

    const results = await race(() => retryLoaded(deps, olga, id));

    // Olga's own retry, clicked again: every click reads what the one pass came to, never "0 of 0" or a
    // refusal for the status it left, and the history Alice reads holds one retry and no refused attempt.
    expect(refusalKeys(results)).toEqual([]);
    expect(results.map((r) => r.ok && [r.value.state.status, r.value.retried])).toEqual(
      Array(RACERS).fill(['transfer_completed', { tried: 1, moved: 1, stillFailing: [], arrived: [] }]),
    );
    const rows = await historyOf(database.db, id);
    expect(rows.filter((h) => h.action === 'retry').map((h) => h.toStatus)).toEqual(['transfer_completed']);
    expect(rows.filter((h) => h.action.startsWith('refused.'))).toEqual([]);
  });

  it(`${RACERS} identical submissions by the requester: consent asked once, the others refused for the status`, async () => {
    const id = await request(toBelgium('SO:100-2'));

    const results = await race(() => submitTransfer(deps, alice, id));

    expect(results.filter((r) => r.ok).length).toBe(1);
    const refusals = results.flatMap((r) => (r.ok ? [] : [r.refusal]));
    expect(refusals.map((r) => r.code)).toEqual(Array(RACERS - 1).fill('wrong_status'));
    // Each is told the same: the status, and who submitted it and when (Alice, on one of her clicks).
    expect(new Set(refusals.map((r) => JSON.stringify(r.message))).size).toBe(1);
    expect(refusals[0]!.message).toMatchObject({
      key: 'core:refusal.movedOnBy',
      params: {
        reasonKey: 'core:refusal.wrongStatus',
        id,
        status: 'awaiting_consent',
        action: 'submit',
        from: 'pending_submission',
        by: 'Alice Martin',
      },
    });

    const rows = await historyOf(database.db, id);
    expect(rows.filter((h) => h.action === 'submit').map((h) => h.toStatus)).toEqual([
      'submitted',
      'awaiting_consent',
    ]);
    expect(rows.filter((h) => h.action === 'refused.submit').length).toBe(1);
    expect(await refusalsCounted(id, 'refused.submit')).toBe(RACERS - 1);
    const asked = await database.db.select().from(consents).where(eq(consents.transferId, id));
    expect(asked.map((c) => [c.role, c.userId])).toEqual([['transferee', bob.userId]]);
    const consentCards = (await queued(id)).filter((row) => row.line.startsWith('card consent'));
    expect(consentCards.map((row) => row.line)).toEqual([`card consent:transferee → user ${bob.userId}`]);
  });

  it(`${RACERS} identical submissions between sites of one company: the assets move once`, async () => {
    const id = await request(toParis('SO:104-1'));

    const results = await race(() => submitTransfer(deps, alice, id));

    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(refusalKeys(results)).toEqual(Array(RACERS - 1).fill('core:refusal.movedOnBy'));
    const rows = await historyOf(database.db, id);
    expect(rows.filter((h) => h.action === 'execute').map((h) => h.toStatus)).toEqual(['transfer_completed']);
    expect(rows.filter((h) => h.toStatus === 'transfer_initiated').length).toBe(1);
  });

  it('two simultaneous requests for one asset: one is created, the other is refused', async () => {
    const results = await Promise.all([
      requestTransfer(deps, alice, toBelgium('SO:105-1')),
      requestTransfer(deps, alice, toBelgium('SO:105-1')),
    ]);

    const created = results.filter((r) => r.ok);
    expect(created.length).toBe(1);
    const winner = created[0]!.ok ? created[0]!.value.state.id : '';
    const loser = results.find((r) => !r.ok);
    if (!loser || loser.ok) throw new Error('expected a refusal');
    // Depending on timing the loser either saw the winner's items (and names its transaction) or hit the index.
    if (loser.refusal.message.key === 'core:refusal.assetProblems') {
      expect(loser.refusal.details).toEqual([
        {
          key: 'core:problem.ineligible',
          params: { ref: 'SO:105-1', reasonKey: 'eligibility:reason.inOpenTransaction', id: winner },
        },
      ]);
    } else {
      expect(loser.refusal).toMatchObject({ code: 'conflict', message: { key: 'core:refusal.assetTaken' } });
    }
    const open = await database.db
      .select({ transferId: transferItems.transferId })
      .from(transferItems)
      .where(and(eq(transferItems.ref, 'SO:105-1'), eq(transferItems.open, true)));
    expect(open).toEqual([{ transferId: winner }]);
    const audited = await database.db.select().from(history).where(eq(history.action, 'refused.request'));
    expect(audited.length).toBe(1);
  });

  it('many simultaneous requests for one asset: exactly one holds it', async () => {
    const results = await race(() => requestTransfer(deps, alice, toParis('SN:FOC0002')));
    expect(results.filter((r) => r.ok).length).toBe(1);
    const keys = new Set(refusalKeys(results));
    for (const key of keys) expect(['core:refusal.assetProblems', 'core:refusal.assetTaken']).toContain(key);
    const open = await database.db
      .select()
      .from(transferItems)
      .where(and(eq(transferItems.ref, 'SN:FOC0002'), eq(transferItems.open, true)));
    expect(open.length).toBe(1);
  });
});
