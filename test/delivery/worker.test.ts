import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { cards, history, outbox, transfers } from '../../db/schema.js';
import { consentTransfer, screenTransfer } from '../../src/app/actions.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import { deliveriesTotal } from '../../src/app/metrics.js';
import { historyEntryText } from '../../src/app/history-text.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { drainOutbox, type WorkerOptions } from '../../src/delivery/worker.js';
import { msg, type CatalogKey } from '../../src/i18n/index.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { awaitingConsent, pendingSubmission } from '../support/transfers.js';
import { actor, EMAILS, seedWorld, testDeps } from '../support/world.js';

const forTransfer = (log: Delivery[], id: string) =>
  log.filter((d) => ('transferId' in d && d.transferId === id) || ('card' in d && d.card.transfer.id === id));

async function metricValue(labels: { platform: string; result: string }): Promise<number> {
  const { values } = await deliveriesTotal.get();
  return (
    values.find((v) => v.labels.platform === labels.platform && v.labels.result === labels.result)?.value ?? 0
  );
}

describe.each(drivers)('outbox worker (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db, 4);
    deps = testDeps(database.db);
  });
  afterAll(() => database.dispose());

  const userId = async (name: keyof typeof EMAILS) => (await actor(database.db, name)).userId;
  const drain = (senders: RecordingSender[], extra: Partial<WorkerOptions> = {}) =>
    drainOutbox(deps, { senders, random: () => 0, ...extra });
  /** A test message for a person under `dedupeKey`, about a transfer when `transferId` is given. */
  const testMessage = (dedupeKey: string, recipientUserId: number, key: string, transferId?: string) => ({
    dedupeKey,
    recipientUserId,
    payload: {
      type: 'message' as const,
      ...(transferId === undefined ? {} : { transferId }),
      text: msg(key as CatalogKey),
    },
  });
  /** The outbox row queued under `dedupeKey`. */
  const outboxRow = async (dedupeKey: string) =>
    (await database.db.select().from(outbox).where(eq(outbox.dedupeKey, dedupeKey)))[0];
  /** The transfer's version now. */
  const versionOf = async (transferId: string) =>
    (
      await database.db
        .select({ version: transfers.version })
        .from(transfers)
        .where(eq(transfers.id, transferId))
    )[0]!.version;

  it('gives each person their messages and decision cards on the platform that knows them, then redraws every card once decided', async () => {
    const log: Delivery[] = [];
    const slack = new RecordingSender({ platform: 'slack', log, channels: { compliance: 'C0COMPLIANCE' } });
    const teams = new RecordingSender({
      platform: 'teams',
      log,
      knows: () => false,
      channels: { compliance: '19:compliance' },
    });
    const id = await awaitingConsent(deps, 'SO:100-1');

    await drain([slack, teams]);
    const first = forTransfer(log, id);
    const bobCards = first.filter((d) => d.kind === 'card' && d.to.id === 'UBOB');
    expect(bobCards).toHaveLength(1);
    expect(bobCards[0]!.kind === 'card' && bobCards[0]!.card).toMatchObject({
      decision: 'consent:transferee',
      open: true,
    });
    const toAlice = first.filter((d) => d.kind === 'message' && d.to.id === 'UALICE');
    expect(toAlice.map((d) => d.kind === 'message' && d.text.params?.['status'])).toContain(
      'awaiting_consent',
    );
    expect(first.some((d) => d.kind === 'message' && d.to.id === 'UBOB')).toBe(true);
    expect(first.every((d) => d.platform === 'slack')).toBe(true);
    const posted = await database.db.select().from(cards).where(eq(cards.transferId, id));
    expect(posted).toMatchObject([
      { decision: 'consent:transferee', platform: 'slack', recipientUserId: await userId('bob') },
    ]);

    // Nothing is said twice: a second pass finds nothing due.
    const before = log.length;
    await drain([slack, teams]);
    expect(log.length).toBe(before);

    const bob = await actor(database.db, 'bob');
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    await drain([slack, teams]);
    const second = forTransfer(log.slice(before), id);
    const update = second.find((d) => d.kind === 'update' && d.card.decision === 'consent:transferee');
    expect(update?.kind === 'update' && update.location).toEqual(posted[0]!.location);
    expect(update?.kind === 'update' && update.card).toMatchObject({
      open: false,
      actions: null,
      outcome: { decision: 'approved', by: 'Bob Peeters' },
    });
    const complianceCards = second.filter((d) => d.kind === 'card' && d.card.decision === 'compliance');
    expect(complianceCards.map((d) => `${d.platform}:${d.kind === 'card' ? d.to.id : ''}`).sort()).toEqual([
      'slack:C0COMPLIANCE',
      'teams:19:compliance',
    ]);

    const cora = await actor(database.db, 'cora');
    const mark = log.length;
    expect((await screenTransfer(deps, cora, id, 'approve')).ok).toBe(true);
    await drain([slack, teams]);
    const redrawn = forTransfer(log.slice(mark), id).filter(
      (d) => d.kind === 'update' && d.card.decision === 'compliance',
    );
    expect(redrawn.map((d) => d.platform).sort()).toEqual(['slack', 'teams']);
    expect(
      redrawn.every((d) => d.kind === 'update' && !d.card.open && d.card.outcome?.decision === 'approved'),
    ).toBe(true);
  });

  it('reports a person no platform can reach to the requester and in the history, never skipping them silently', async () => {
    const log: Delivery[] = [];
    const slack = new RecordingSender({ platform: 'slack', log });
    // Paul has neither a Slack nor a Teams id: nobody can reach him.
    const id = await awaitingConsent(deps, 'SO:100-2', { transferee: 'paul' });
    await drain([slack]);

    const paulRows = (
      await database.db
        .select()
        .from(outbox)
        .where(eq(outbox.recipientUserId, await userId('paul')))
    ).filter((r) => r.payload.transferId === id);
    expect(paulRows.length).toBeGreaterThan(0);
    expect(paulRows.every((r) => r.state === 'dead' && r.lastError === 'unreachable')).toBe(true);
    const view = await loadTransferView(deps, id, null);
    expect(view!.history.filter((h) => h.action === 'delivery.unreachable').map((h) => h.reason)).toContain(
      `unreachable: Paul Partner <${EMAILS.paul}>`,
    );
    const notices = log.filter(
      (d) => d.kind === 'message' && d.to.id === 'UALICE' && d.text.key === 'delivery:unreachable.user',
    );
    // One notice for everything of this step he missed; the history lists each (unreachable-notices.test.ts).
    expect(paulRows.length).toBeGreaterThan(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.kind === 'message' && notices[0]!.text.params).toMatchObject({
      id,
      name: 'Paul Partner',
      email: EMAILS.paul,
    });
    expect(notices[0]!.kind === 'message' && notices[0]!.lines[0]?.key).toBe('delivery:lost.message');
  });

  it('does not tell the requester about their own unreachable message', async () => {
    const id = await pendingSubmission(deps, 'SN:FOC0001');
    const alice = await userId('alice');
    await deps.store.outbox.enqueue(deps.now(), [testMessage(`test:self:${id}`, alice, 'test:hello', id)]);
    const nobody = new RecordingSender({ platform: 'slack', knows: () => false });
    await drain([nobody]);
    const row = await outboxRow(`test:self:${id}`);
    expect(row).toMatchObject({ state: 'dead', lastError: 'unreachable' });
    const notices = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `outbox:${row!.id}:undelivered`));
    expect(notices).toEqual([]);
  });

  it('retries with backoff, waits at least Retry-After, and gives up after the bounded attempts where operators see it', async () => {
    const id = await pendingSubmission(deps, 'SO:105-1');
    await drain([new RecordingSender()]);
    await deps.store.outbox.enqueue(deps.now(), [
      testMessage(`test:retry:${id}`, await userId('bob'), 'test:hello', id),
    ]);
    const log: Delivery[] = [];
    const failures = [
      new DeliveryError('ratelimited', { retryAfterMs: 60_000 }),
      new Error('HTTP 500'),
      new Error('HTTP 502'),
    ];
    const slack = new RecordingSender({ log, fail: (n) => failures[n - 1] });
    const deadBefore = await metricValue({ platform: 'slack', result: 'dead' });
    const row = async () => (await outboxRow(`test:retry:${id}`))!;

    await drain([slack], { maxAttempts: 3 });
    const start = deps.now().getTime();
    expect(await row()).toMatchObject({ state: 'pending', attempts: 1, lastError: 'ratelimited' });
    expect((await row()).dueAt.getTime()).toBe(start + 60_000);

    deps.advance(59_999);
    expect((await drain([slack], { maxAttempts: 3 })).claimed).toBe(0);
    deps.advance(1);
    await drain([slack], { maxAttempts: 3 });
    // Second failure: 2 s doubled to 4 s, with jitter 0 → half of it.
    expect(await row()).toMatchObject({ state: 'pending', attempts: 2, lastError: 'HTTP 500' });
    expect((await row()).dueAt.getTime()).toBe(deps.now().getTime() + 2_000);

    deps.advance(2_000);
    await drain([slack], { maxAttempts: 3 });
    expect(await row()).toMatchObject({ state: 'dead', attempts: 3, lastError: 'HTTP 502' });
    expect(await metricValue({ platform: 'slack', result: 'dead' })).toBe(deadBefore + 1);
    const failed = await database.db
      .select()
      .from(history)
      .where(and(eq(history.transferId, id), eq(history.action, 'delivery.failed')));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBe(`Bob Peeters <${EMAILS.bob}>: HTTP 502`);
    const notice = log.find((d) => d.kind === 'message' && d.text.key === 'delivery:failed');
    expect(notice?.kind === 'message' && notice.to.id).toBe('UALICE');
    expect(notice?.kind === 'message' && notice.text.params).toMatchObject({ id, count: 3 });
    expect(log.filter((d) => d.kind === 'message' && (d.text.key as string) === 'test:hello')).toEqual([]);
  });

  it('tells the requester, in their language, when the decision cards already posted could not be updated', async () => {
    const id = await awaitingConsent(deps, 'SO:900-3');
    await drain([new RecordingSender()]);
    const bob = await actor(database.db, 'bob');
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    // Every card update fails: the refresh of the posted copies is given up after its attempts.
    const log: Delivery[] = [];
    const slack = new RecordingSender({
      log,
      fail: (_n, kind) => (kind === 'update' ? new Error('HTTP 500') : undefined),
    });
    for (let pass = 0; pass < 3; pass += 1) {
      await drain([slack], { maxAttempts: 2 });
      deps.advance(60_000);
    }
    const refresh = (
      await database.db
        .select()
        .from(outbox)
        .where(sql`${outbox.payload}->>'transferId' = ${id} and ${outbox.payload}->>'type' = 'card_refresh'`)
    )[0];
    expect(refresh).toMatchObject({ state: 'dead', lastError: 'HTTP 500' });
    const notice = log.find((d) => d.kind === 'message' && d.text.key === 'delivery:cardsNotUpdated');
    expect(notice?.kind === 'message' && notice.to.id).toBe('UALICE');
    expect(notice?.kind === 'message' && notice.text.params).toMatchObject({ id, count: 2 });
    const view = await loadTransferView(deps, id, null);
    const step = view!.history.find((h) => h.action === 'delivery.failed')!;
    expect(historyEntryText('fr', step).what).toBe('Cartes de demande déjà publiées non mises à jour');
    expect(historyEntryText('ja', step).what).toBe('投稿済みの承認依頼カードの更新に失敗');
  });

  it("keeps the order of one transfer's messages to a person across retries", async () => {
    // Messages about a transfer, as any change writes them (the transfer itself plays no part here).
    const id = 'AT-ORDER001';
    await drain([new RecordingSender()]);
    const bob = await userId('bob');
    await deps.store.outbox.enqueue(deps.now(), [
      testMessage(`test:order:1:${id}`, bob, 'test:initiated', id),
      testMessage(`test:order:2:${id}`, bob, 'test:completed', id),
    ]);
    const log: Delivery[] = [];
    // The first message meets a Slack error; the second would go through.
    const slack = new RecordingSender({ log, fail: (n) => (n === 1 ? new Error('HTTP 500') : undefined) });
    await drain([slack]);
    const toBob = () =>
      log.flatMap((d) =>
        d.kind === 'message' && d.to.id === 'UBOB' && d.text.key.startsWith('test:') ? [d.text.key] : [],
      );
    // Nothing overtakes the message being retried.
    expect(toBob()).toEqual([]);
    deps.advance(60_000);
    await drain([slack]);
    expect(toBob()).toEqual(['test:initiated', 'test:completed']);
  });

  it("sends a person's messages about two transfers side by side: one slow send holds back only its transfer's", async () => {
    await drain([new RecordingSender()]);
    const bob = await userId('bob');
    await deps.store.outbox.enqueue(deps.now(), [
      testMessage('test:lanes:1:AT-LANE0001', bob, 'test:initiated', 'AT-LANE0001'),
      testMessage('test:lanes:2:AT-LANE0002', bob, 'test:completed', 'AT-LANE0002'),
    ]);
    let secondStarted!: () => void;
    const second = new Promise<'side by side'>((resolve) => (secondStarted = () => resolve('side by side')));
    let overlap: string | undefined;
    const slack = new RecordingSender({
      during: async (n) => {
        if (n === 2) secondStarted();
        // The first send waits for the second to begin; in one lane per person it never would.
        if (n === 1)
          overlap = await Promise.race([
            second,
            new Promise<string>((r) => setTimeout(() => r('one after the other'), 5_000)),
          ]);
      },
    });
    await drain([slack]);
    expect(overlap).toBe('side by side');
    expect(slack.log.filter((d) => d.kind === 'message' && d.to.id === 'UBOB')).toHaveLength(2);
  });

  it('gives up at once on a permanent failure', async () => {
    const id = await pendingSubmission(deps, 'SO:104-1');
    await drain([new RecordingSender()]);
    await deps.store.outbox.enqueue(deps.now(), [
      testMessage(`test:permanent:${id}`, await userId('bob'), 'test:hello', id),
    ]);
    const slack = new RecordingSender({
      fail: (n) => (n === 1 ? new DeliveryError('user_not_found', { permanent: true }) : undefined),
    });
    await drain([slack]);
    const row = await outboxRow(`test:permanent:${id}`);
    expect(row).toMatchObject({ state: 'dead', attempts: 1, lastError: 'user_not_found' });
  });

  it('gives up at once on a message for a person who is not in the inventory, and goes on with the rest', async () => {
    await drain([new RecordingSender()]);
    const id = 'T-NOBODY';
    await deps.store.outbox.enqueue(deps.now(), [
      testMessage(`test:nobody:${id}`, 987_654, 'test:hello', id),
      testMessage(`test:somebody:${id}`, await userId('bob'), 'test:hello', id),
    ]);
    const log: Delivery[] = [];
    await drain([new RecordingSender({ log })]);
    const rows = await database.db.select().from(outbox);
    const byKey = new Map(rows.map((r) => [r.dedupeKey, r]));
    expect(byKey.get(`test:nobody:${id}`)).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: 'recipient user 987654 does not exist',
    });
    expect(byKey.get(`test:somebody:${id}`)).toMatchObject({ state: 'sent' });
    expect(log.filter((d) => d.kind === 'message' && d.to.id === 'UBOB')).toHaveLength(1);
  });

  it('redraws the Slack copies of a decided card though a copy is in the console inbox, and leaves a Teams copy to a process that serves Teams', async () => {
    const id = await awaitingConsent(deps, 'SO:900-4');
    const bob = await actor(database.db, 'bob');
    const cora = await actor(database.db, 'cora');
    const log: Delivery[] = [];
    // Bob reads his cards in the console; the compliance card goes to the console, Slack and Teams.
    const inConsole = new RecordingSender({
      platform: 'console',
      log,
      channels: { compliance: 'compliance' },
    });
    const slack = new RecordingSender({ log, knows: () => false, channels: { compliance: 'C0COMPLIANCE' } });
    const teams = new RecordingSender({
      platform: 'teams',
      log,
      knows: () => false,
      channels: { compliance: '19:compliance' },
    });
    await drain([inConsole, slack, teams]);
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    await drain([inConsole, slack, teams]);
    const posted = forTransfer(log, id).filter((d) => d.kind === 'card');
    expect(posted.map((d) => `${d.platform}:${d.kind === 'card' ? d.card.decision : ''}`).sort()).toEqual([
      'console:compliance',
      'console:consent:transferee',
      'slack:compliance',
      'teams:compliance',
    ]);

    // Cora decides; the running bot serves Slack only: its copy is redrawn, Teams' waits for Teams.
    expect((await screenTransfer(deps, cora, id, 'approve')).ok).toBe(true);
    const mark = log.length;
    await drain([slack]);
    const redrawn = (from: number) =>
      forTransfer(log.slice(from), id)
        .filter((d) => d.kind === 'update')
        .map((d) => `${d.platform}:${d.kind === 'update' && !d.card.open ? 'closed' : 'open'}`);
    expect(redrawn(mark)).toEqual(['slack:closed']);
    const refresh = async () =>
      (
        await database.db
          .select()
          .from(outbox)
          .where(
            sql`${outbox.payload}->>'transferId' = ${id} and ${outbox.payload}->>'type' = 'card_refresh'`,
          )
          .orderBy(outbox.id)
      ).at(-1);
    expect(await refresh()).toMatchObject({
      state: 'pending',
      lastError: expect.stringContaining('no teams sender'),
    });

    // A process that serves Teams does the rest; nothing is left for the console's copies.
    deps.advance(60_000);
    const later = log.length;
    await drain([teams]);
    expect(redrawn(later)).toEqual(['teams:closed']);
    expect(await refresh()).toMatchObject({ state: 'sent' });
  });

  it('redraws a card at once when the decision was taken while it was being posted', async () => {
    const id = await awaitingConsent(deps, 'SO:103-1');
    const bob = await actor(database.db, 'bob');
    const log: Delivery[] = [];
    const elsewhere = new RecordingSender({ log: [] });
    const slack = new RecordingSender({
      log,
      channels: { compliance: 'C0COMPLIANCE' },
      during: async (_n, kind) => {
        if (kind !== 'card') return;
        // Bob answers in another window, and another worker runs the refresh before our card is recorded.
        await consentTransfer(deps, bob, id, 'reject', 'Not this quarter');
        await drainOutbox(deps, { senders: [elsewhere] });
      },
    });
    await drain([slack]);
    const mine = forTransfer(log, id).filter((d) => d.kind === 'card' || d.kind === 'update');
    expect(mine.map((d) => d.kind)).toEqual(['card', 'update']);
    expect(mine[0]!.kind === 'card' && mine[0]!.card.open).toBe(true);
    expect(mine[1]!.kind === 'update' && mine[1]!.card).toMatchObject({
      open: false,
      outcome: { decision: 'rejected', reason: 'Not this quarter' },
    });
    expect(mine[1]!.kind === 'update' && mine[1]!.location).toEqual(
      mine[0]!.kind === 'card' && mine[0]!.location,
    );
  });

  it('posts a compliance card once per platform even when one platform fails and the row is retried', async () => {
    const id = await awaitingConsent(deps, 'SN:FOC0002');
    const bob = await actor(database.db, 'bob');
    const log: Delivery[] = [];
    const slack = new RecordingSender({ platform: 'slack', log, channels: { compliance: 'C0COMPLIANCE' } });
    const teams = new RecordingSender({
      platform: 'teams',
      log,
      knows: () => false,
      channels: { compliance: '19:compliance' },
      fail: (n, kind) => (n === 1 && kind === 'card' ? new DeliveryError('HTTP 502 from Teams') : undefined),
    });
    await drain([slack, teams]);
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    await drain([slack, teams]);
    deps.advance(60_000);
    await drain([slack, teams]);
    const compliance = forTransfer(log, id).filter(
      (d) => d.kind === 'card' && d.card.decision === 'compliance',
    );
    expect(compliance.map((d) => d.platform).sort()).toEqual(['slack', 'teams']);
    const rows = await database.db
      .select()
      .from(cards)
      .where(and(eq(cards.transferId, id), eq(cards.decision, 'compliance')));
    expect(rows.map((r) => r.platform).sort()).toEqual(['slack', 'teams']);
  });

  it('never gives a person a second copy once an earlier attempt reached them, even on another platform', async () => {
    const alice = await userId('alice');
    await deps.store.outbox.enqueue(deps.now(), [testMessage('test:landed', alice, 'test:landed')]);
    // An earlier attempt reached Alice on Teams, then its worker died before marking the row sent.
    await database.db
      .update(outbox)
      .set({ deliveredTo: { deliveries: [{ platform: 'teams', id: '29:alice' }] } })
      .where(eq(outbox.dedupeKey, 'test:landed'));
    const log: Delivery[] = [];
    await drain([new RecordingSender({ log })]);
    expect(log.filter((d) => d.kind === 'message' && (d.text.key as string) === 'test:landed')).toEqual([]);
    const row = await outboxRow('test:landed');
    expect(row).toMatchObject({
      state: 'sent',
      deliveredTo: { deliveries: [{ platform: 'teams', id: '29:alice' }] },
    });
  });

  it("records a posted card and the row's progress at once, and the card even when the lease was lost", async () => {
    const id = await awaitingConsent(deps, 'SO:900-1');
    const bob = await userId('bob');
    const card = (channel: string) => ({
      transferId: id,
      decision: 'consent:transferee',
      platform: 'slack',
      recipientUserId: bob,
      location: { channel, ts: '1.0' },
      postedAt: deps.now(),
    });
    await drain([new RecordingSender({ platform: 'slack' })]);
    await deps.store.outbox.enqueue(deps.now(), [
      {
        dedupeKey: 'test:card-landing',
        recipientUserId: bob,
        payload: { type: 'card', transferId: id, decision: 'consent:transferee' },
      },
    ]);
    const taken = await deps.store.outbox.claimDue(deps.now(), new Date(Date.now() + 60_000), 100);
    const claimed = taken.find((c) => c.row.dedupeKey === 'test:card-landing')!;
    const landed = {
      deliveries: [{ platform: 'slack', id: 'UBOB', location: { channel: 'D1', ts: '1.0' } }],
    };
    const version = await versionOf(id);
    expect(await deps.store.outbox.saveCardProgress(claimed, card('D1'), landed)).toEqual({
      kept: true,
      transferVersion: version,
    });
    expect((await outboxRow(claimed.row.dedupeKey))?.deliveredTo).toEqual(landed);

    // Another worker took the row over (a new lease): our progress is not written, the card we posted is.
    const lost = { ...claimed, lease: new Date(claimed.lease.getTime() - 1_000) };
    const after = { deliveries: [...landed.deliveries, { platform: 'teams', id: '29:bob' }] };
    expect(await deps.store.outbox.saveCardProgress(lost, card('D2'), after)).toEqual({ kept: false });
    expect((await outboxRow(claimed.row.dedupeKey))?.deliveredTo).toEqual(landed);
    const posted = await database.db.select().from(cards).where(eq(cards.transferId, id));
    // After the consent card the drain posted for the transfer, ours.
    expect(posted.map((c) => c.location).slice(1)).toEqual([
      { channel: 'D1', ts: '1.0' },
      { channel: 'D2', ts: '1.0' },
    ]);
    for (const c of taken) await deps.store.outbox.release(c, deps.now());
  });

  it.runIf(driver === 'postgres')(
    'records a posted card only once a decision in flight on its transfer has committed, and answers the version it left',
    async () => {
      const id = await awaitingConsent(deps, 'SO:900-2');
      await drain([new RecordingSender({ platform: 'slack' })]);
      await deps.store.outbox.enqueue(deps.now(), [
        {
          dedupeKey: 'test:card-in-turn',
          recipientUserId: await userId('bob'),
          payload: { type: 'card', transferId: id, decision: 'consent:transferee' },
        },
      ]);
      const taken = await deps.store.outbox.claimDue(deps.now(), new Date(Date.now() + 60_000), 100);
      const claimed = taken.find((c) => c.row.dedupeKey === 'test:card-in-turn')!;
      const version = await versionOf(id);
      let saving: ReturnType<typeof deps.store.outbox.saveCardProgress> | undefined;
      let settled = false;
      // A decision's compare-and-set, not committed yet, while the card's row is recorded on another connection.
      await database.db.transaction(async (tx) => {
        await tx
          .update(transfers)
          .set({ version: version + 1 })
          .where(eq(transfers.id, id));
        saving = deps.store.outbox.saveCardProgress(
          claimed,
          {
            transferId: id,
            decision: 'consent:transferee',
            platform: 'slack',
            recipientUserId: await userId('bob'),
            location: { channel: 'D9', ts: '9.0' },
            postedAt: deps.now(),
          },
          { deliveries: [{ platform: 'slack', id: 'UBOB', location: { channel: 'D9', ts: '9.0' } }] },
        );
        const done = () => (settled = true);
        saving.then(done, done);
        // The record waits for the decision: its session is seen waiting on a lock before the decision commits.
        for (let waiting = false; !waiting;) {
          const [row] = rowsOf<{ n: number }>(
            await database.db.execute(sql`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`),
          );
          waiting = row!.n > 0 || settled;
        }
        expect(settled).toBe(false);
      });
      expect(await saving).toEqual({ kept: true, transferVersion: version + 1 });
      for (const c of taken) await deps.store.outbox.release(c, deps.now());
    },
  );

  it('hands files over with a title, and leaves a message not due yet waiting', async () => {
    const alice = await userId('alice');
    await deps.store.outbox.enqueue(deps.now(), [
      {
        dedupeKey: 'test:file',
        recipientUserId: alice,
        payload: { type: 'file', file: { path: '/tmp/x.xlsx', name: 'x.xlsx' } },
      },
      {
        dedupeKey: 'test:later',
        recipientUserId: alice,
        payload: { type: 'message', text: msg('test:later' as CatalogKey) },
        dueAt: new Date(deps.now().getTime() + 3_600_000),
      },
    ]);
    const log: Delivery[] = [];
    await drain([new RecordingSender({ log })]);
    expect(log.filter((d) => d.kind === 'file')).toMatchObject([
      {
        to: { id: 'UALICE' },
        file: {
          path: '/tmp/x.xlsx',
          name: 'x.xlsx',
          title: { key: 'delivery:file.title', params: { name: 'x.xlsx' } },
        },
      },
    ]);
    const pending = await database.db.select().from(outbox).where(eq(outbox.state, 'pending'));
    expect(pending.some((r) => r.dedupeKey === 'test:later')).toBe(true);
  });

  it('marks every message of a batch sent with where it landed, so none is sent again once the leases run out', async () => {
    const names = ['alice', 'bob'] as const;
    const people = await Promise.all(names.map((name) => userId(name)));
    await deps.store.outbox.enqueue(
      deps.now(),
      Array.from({ length: 12 }, (_, n) => ({
        dedupeKey: `test:batch:${n}`,
        recipientUserId: people[n % people.length]!,
        payload: { type: 'message' as const, text: msg('test:batch' as CatalogKey, { n }) },
      })),
    );
    const log: Delivery[] = [];
    const batchSent = () =>
      log.filter(
        (d): d is Extract<Delivery, { kind: 'message' }> =>
          d.kind === 'message' && (d.text.key as string) === 'test:batch',
      );
    await drain([new RecordingSender({ log, latencyMs: 1 })], { concurrency: 4 });
    expect(batchSent()).toHaveLength(12);
    const rows = (await database.db.select().from(outbox)).filter((r) =>
      r.dedupeKey.startsWith('test:batch:'),
    );
    expect(rows.map((r) => r.state)).toEqual(Array(12).fill('sent'));
    // Each row keeps its own landing (the person it went to), not a neighbour's from the same statement.
    for (const row of rows) {
      const sentTo = batchSent().find((d) => d.text.params?.['n'] === Number(row.dedupeKey.split(':')[2]));
      expect(sentTo?.to.id).toBe((row.deliveredTo as { deliveries: { id: string }[] }).deliveries[0]?.id);
    }
    deps.advance(10 * 60_000);
    await drain([new RecordingSender({ log })]);
    expect(batchSent()).toHaveLength(12);
  });
});
