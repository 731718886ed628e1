import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { cronClock } from '../../adapters/clock/cron.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { msg, tr, type CatalogKey } from '../../src/i18n/index.js';
import { zonedInstant } from '../../src/schedule/local-time.js';
import { EVERY_MINUTE, runDueJobs, startScheduler, type Clock } from '../../src/schedule/jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { RecordingSender } from '../support/recording-sender.js';
import { awaitingConsent } from '../support/transfers.js';
import { consentTransfer } from '../../src/app/actions.js';
import { actor, actorIn, EMAILS, seedWorld, testDeps } from '../support/world.js';
import { workingDayReminders } from '../support/reminders.js';
import { reminderSettings } from '../../src/schedule/settings.js';

const MIN = 60_000;
const D = 86_400_000;
const settings = workingDayReminders('Europe/Paris');

/** A scheduler's logger that keeps what it was told at info and error level, in order. */
function recordingLogger() {
  const logged: { fields: object; message: string }[] = [];
  const keep = (fields: object, message: string) => void logged.push({ fields, message });
  return { logged, logger: { debug: () => undefined, info: keep, warn: () => undefined, error: keep } };
}

// The scheduler is process wiring over the same database code as the sweep and the worker; one driver suffices.
describe('due jobs and the scheduler (pglite)', () => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    deps = testDeps(database.db, zonedInstant(2026, 11, 23, 10, 0, 'Europe/Paris'));
    deps.config.consentExpireAfterMs = 5 * D;
  });
  afterAll(() => database.dispose());

  it('`jobs run` with no platform to deliver through (beside the bot, on a server) leaves what is due for the bot', async () => {
    const id = await awaitingConsent(deps, 'SO:100-2');
    const summary = await runDueJobs(deps, {
      senders: [],
      settings,
      now: new Date(deps.now().getTime() + 5 * D),
    });
    expect(summary.reminders.expiries).toBeGreaterThanOrEqual(1);
    expect((await loadTransferView(deps, id, null))!.status).toBe('cancelled');
    const states = rowsOf<{ state: string }>(
      await database.db.execute(sql`select state from outbox where payload->>'transferId' = ${id}`),
    ).map((row) => row.state);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((state) => state === 'pending')).toBe(true);
    // The bot's process delivers them.
    const sender = new RecordingSender({ platform: 'console' });
    await runDueJobs(deps, { senders: [sender], settings, now: new Date(deps.now().getTime() + 5 * D) });
    expect(sender.log.some((d) => d.kind === 'message' && d.transferId === id)).toBe(true);
  });

  it('`jobs run` expires an overdue consent and delivers the news to everyone involved, then returns', async () => {
    const id = await awaitingConsent(deps, 'SO:100-1');
    const sender = new RecordingSender({ platform: 'console' });
    const summary = await runDueJobs(deps, {
      senders: [sender],
      settings,
      now: new Date(deps.now().getTime() + 5 * D),
    });
    expect(summary.reminders.expiries).toBe(1);
    expect(summary.deliveries.dead).toBe(0);
    expect((await loadTransferView(deps, id, null))!.status).toBe('cancelled');
    const cancelledFor = sender.log
      .filter((d) => d.kind === 'message' && d.transferId === id && d.text.params?.['status'] === 'cancelled')
      .map((d) => (d.kind === 'message' ? d.to.id : ''));
    expect(cancelledFor.sort()).toEqual([`console:${EMAILS.alice}`, `console:${EMAILS.bob}`]);
    // Run again: nothing left to do.
    const again = await runDueJobs(deps, {
      senders: [sender],
      settings,
      now: new Date(deps.now().getTime() + 5 * D),
    });
    expect(again.reminders.expiries + again.deliveries.sent).toBe(0);
  });

  it('`jobs run` a minute apart, with short settings: reminders and escalation tell the real age and time left', async () => {
    // CONSENT_REMIND_EVERY=30s CONSENT_ESCALATE_AFTER=1 CONSENT_EXPIRE_AFTER=4m REMINDER_CRON='* * * * *'
    const short = reminderSettings(
      {
        CONSENT_REMIND_EVERY: 30_000,
        CONSENT_ESCALATE_AFTER: 1,
        REMINDER_CRON: '* * * * *',
        TZ_DEFAULT: 'UTC',
      },
      'test',
    );
    const expireAfterMs = deps.config.consentExpireAfterMs;
    deps.config.consentExpireAfterMs = 4 * MIN;
    try {
      const id = await awaitingConsent(deps, 'SO:100-1');
      const sender = new RecordingSender({ platform: 'console' });
      for (const minutes of [1, 2])
        await runDueJobs(deps, {
          senders: [sender],
          settings: short,
          now: new Date(deps.now().getTime() + minutes * MIN),
        });
      const told = (key: CatalogKey) =>
        sender.log.flatMap((d) =>
          d.kind === 'message' && d.transferId === id && d.text.key === key
            ? [d.lines.map((line) => tr('en', line))]
            : [],
        );
      const [first, second] = told('reminders:consent.reminder');
      expect(first).toContain('Waiting for 1 minute.');
      expect(first).toContain('Without an answer, the transaction will be cancelled in 3 minutes.');
      expect(second).toContain('Waiting for 2 minutes.');
      const escalations = told('reminders:consent.escalation');
      expect(escalations.length).toBeGreaterThan(0);
      for (const lines of escalations) {
        expect(lines).toContain('Waiting for 2 minutes.');
        expect(lines).toContain('Without an answer, the transaction will be cancelled in 2 minutes.');
      }
      const escalation = sender.log.find(
        (d) => d.kind === 'message' && d.transferId === id && d.text.key === 'reminders:consent.escalation',
      );
      expect(escalation?.kind === 'message' && escalation.lines.map((line) => tr('ja', line))).toEqual([
        '2分経過しています。',
        '回答がない場合、トランザクションはあと2分でキャンセルされます。',
      ]);
      // As told: cancelled four minutes after the request (which frees its assets for the tests below).
      await runDueJobs(deps, {
        senders: [sender],
        settings: short,
        now: new Date(deps.now().getTime() + 4 * MIN),
      });
      expect((await loadTransferView(deps, id, null))!.status).toBe('cancelled');
    } finally {
      deps.config.consentExpireAfterMs = expireAfterMs;
    }
  });

  it('ticks the sweep, delivers at once on kick(), and stops cleanly', async () => {
    deps.advance(6 * D); // Sunday 29 November, 10:00 in Paris
    const ticks: { expression: string; timezone: string; fn: () => Promise<void> }[] = [];
    let taskStopped = false;
    const clock: Clock = {
      every(expression, timezone, fn) {
        ticks.push({ expression, timezone, fn });
        return { stop: () => void (taskStopped = true) };
      },
    };
    const sender = new RecordingSender({ platform: 'console' });
    const id = await awaitingConsent(deps, 'SO:100-2');
    // A long interval: anything delivered quickly below came from the start, a tick or a kick.
    const scheduler = startScheduler(deps, { senders: [sender], settings, clock, outboxIntervalMs: 60_000 });
    expect(ticks.map((t) => [t.expression, t.timezone])).toEqual([[EVERY_MINUTE, 'Europe/Paris']]);
    await eventually(() => sender.log.some((d) => d.kind === 'card' && d.card.transfer.id === id));

    deps.advance(D); // Monday 10:00, a day after the request: Bob's first reminder is due
    await ticks[0]!.fn();
    await eventually(() =>
      sender.log.some(
        (d) => d.kind === 'message' && d.text.key === 'reminders:consent.reminder' && d.transferId === id,
      ),
    );

    const alice = (await actor(database.db, 'alice')).userId;
    await deps.store.outbox.enqueue(deps.now(), [
      {
        dedupeKey: 'kick:1',
        recipientUserId: alice,
        payload: { type: 'message', text: msg('test:kick' as CatalogKey) },
      },
    ]);
    scheduler.kick();
    await eventually(
      () => sender.log.some((d) => d.kind === 'message' && (d.text.key as string) === 'test:kick'),
      1_000,
    );

    await scheduler.stop();
    expect(taskStopped).toBe(true);
    await deps.store.outbox.enqueue(deps.now(), [
      {
        dedupeKey: 'kick:2',
        recipientUserId: alice,
        payload: { type: 'message', text: msg('test:after-stop' as CatalogKey) },
      },
    ]);
    scheduler.kick();
    await new Promise((r) => setTimeout(r, 200));
    expect(sender.log.some((d) => d.kind === 'message' && (d.text.key as string) === 'test:after-stop')).toBe(
      false,
    );
  });

  it('keeps the database up at the start and on every tick, after the sweep, and says which tables it vacuumed and analyzed', async () => {
    const ticks: (() => Promise<void>)[] = [];
    const clock: Clock = {
      every(_expression, _timezone, fn) {
        ticks.push(fn);
        return { stop: () => undefined };
      },
    };
    const { logged, logger } = recordingLogger();
    let calls = 0;
    const scheduler = startScheduler(deps, {
      senders: [new RecordingSender({ platform: 'console' })],
      settings,
      clock,
      logger,
      outboxIntervalMs: 60_000,
      upkeep: async () => {
        calls += 1;
        if (calls === 2) throw new Error('database gone');
        return calls === 1
          ? { vacuumed: ['public.outbox'], analyzed: ['public.licenses'] }
          : { vacuumed: [], analyzed: [] };
      },
    });
    try {
      await eventually(() => calls === 1);
      await eventually(() => logged.some((l) => l.message === 'planner statistics gathered'));
      expect(logged.find((l) => l.message === 'planner statistics gathered')?.fields).toEqual({
        tables: ['public.licenses'],
      });
      expect(logged.find((l) => l.message === 'tables vacuumed')?.fields).toEqual({
        tables: ['public.outbox'],
      });
      // The start's sweep ends in the same turn as its log; a tick after it starts one of its own.
      await new Promise((r) => setImmediate(r));
      // A failure is logged, and the next tick tries again.
      await ticks[0]!();
      expect(calls).toBe(2);
      expect(logged.some((l) => l.message === 'database upkeep failed')).toBe(true);
      await ticks[0]!();
      expect(calls).toBe(3);
      expect(logged.filter((l) => l.message === 'planner statistics gathered')).toHaveLength(1);
    } finally {
      await scheduler.stop();
    }
  });
  it('forgets the messages delivered longer ago than OUTBOX_KEEP, on each tick and in `jobs run`; never a pending one', async () => {
    const rows = async () =>
      rowsOf<{ key: string; state: string; created: number }>(
        await database.db.execute(
          sql`select dedupe_key as key, state::text as state,
                     (extract(epoch from created_at) * 1000)::float8 as created from outbox`,
        ),
      );
    // Written now: two messages delivered, one given up on, one still pending (due in a month).
    const written = deps.now().toISOString();
    await database.db.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state)
      values ('keep:1', ${written}::timestamptz, ${written}::timestamptz, 1, '{"type":"message"}', 'sent'),
             ('keep:2', ${written}::timestamptz, ${written}::timestamptz, 1, '{"type":"message"}', 'sent'),
             ('keep:3', ${written}::timestamptz, ${written}::timestamptz, 1, '{"type":"message"}', 'dead'),
             ('keep:4', ${written}::timestamptz, ${written}::timestamptz + interval '30 days', 1,
              '{"type":"message"}', 'pending')`);
    const before = await rows();
    const keptBefore = deps.config.keepDeliveredMs;
    deps.config.keepDeliveredMs = 2 * D;
    deps.advance(3 * D);
    const { logged, logger } = recordingLogger();
    const scheduler = startScheduler(deps, {
      senders: [new RecordingSender({ platform: 'console' })],
      settings,
      clock: { every: () => ({ stop: () => undefined }) },
      logger,
      outboxIntervalMs: 60_000,
    });
    try {
      await eventually(() => logged.some((l) => l.message === 'delivered messages forgotten'));
    } finally {
      await scheduler.stop();
    }
    const forgotten = logged.find((l) => l.message === 'delivered messages forgotten')!.fields;
    const after = await rows();
    const kept = new Set(after.map((r) => r.key));
    const gone = before.filter((r) => !kept.has(r.key));
    expect(forgotten).toEqual({ forgotten: gone.length });
    expect(gone.map((r) => r.key)).toEqual(expect.arrayContaining(['keep:1', 'keep:2', 'keep:3']));
    expect(gone.every((r) => r.created < deps.now().getTime() - 2 * D)).toBe(true);
    // What stays: the message still pending, and whatever is younger than two days.
    expect(after.find((r) => r.key === 'keep:4')?.state).toBe('pending');
    expect(after.every((r) => r.state === 'pending' || r.created > deps.now().getTime() - 2 * D)).toBe(true);

    // `jobs run` does the same, every batch due; a run with nothing old enough forgets nothing.
    const now = deps.now().toISOString();
    await database.db.execute(sql`
      insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state)
      values ('keep:5', ${now}::timestamptz, ${now}::timestamptz, 1, '{"type":"message"}', 'sent')`);
    const mid = await rows();
    const summary = await runDueJobs(deps, {
      senders: [new RecordingSender({ platform: 'console' })],
      settings,
      now: new Date(deps.now().getTime() + 3 * D),
    });
    const left = await rows();
    const stayed = new Set(left.map((r) => r.key));
    expect(summary.forgottenMessages).toBe(mid.filter((r) => !stayed.has(r.key)).length);
    expect(stayed.has('keep:5')).toBe(false);
    expect(left.every((r) => r.state === 'pending' || r.created > deps.now().getTime() + D)).toBe(true);
    const again = await runDueJobs(deps, {
      senders: [],
      settings,
      now: new Date(deps.now().getTime() + 3 * D),
    });
    expect(again.forgottenMessages).toBe(0);
    deps.config.keepDeliveredMs = keptBefore;
  });
});

describe('messages written by a decision (pglite)', () => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    deps = testDeps(database.db, zonedInstant(2026, 11, 23, 10, 0, 'Europe/Paris'));
  });
  afterAll(() => database.dispose());

  it('go out as soon as the decision commits, not at the next interval', async () => {
    const sender = new RecordingSender({ platform: 'console' });
    const clock: Clock = { every: () => ({ stop: () => undefined }) };
    const first = await awaitingConsent(deps, 'SO:100-1');
    // A long interval and no kick: only the start's drain and what a commit sets off deliver anything.
    const scheduler = startScheduler(deps, {
      senders: [sender],
      settings,
      clock,
      outboxIntervalMs: 3_600_000,
    });
    try {
      await eventually(() => sender.log.some((d) => d.kind === 'card' && d.card.transfer.id === first));
      const id = await awaitingConsent(deps, 'SO:100-2');
      await eventually(() => sender.log.some((d) => d.kind === 'card' && d.card.transfer.id === id));
      await consentTransfer(deps, await actorIn(deps, 'bob'), id, 'approve');
      await eventually(() =>
        sender.log.some(
          (d) => d.kind === 'card' && d.card.transfer.id === id && d.card.decision === 'compliance',
        ),
      );
    } finally {
      await scheduler.stop();
    }
  });

  it('are announced once committed, and never for a transaction rolled back', async () => {
    let announced = 0;
    const unsubscribe = deps.store.onOutboxWritten(() => (announced += 1));
    const alice = (await actor(database.db, 'alice')).userId;
    const entry = (key: string) => ({
      dedupeKey: key,
      recipientUserId: alice,
      payload: { type: 'message' as const, text: msg('test:announced' as CatalogKey) },
    });
    await expect(
      deps.store.transaction(async (repos) => {
        await repos.outbox.enqueue(deps.now(), [entry('announce:rolled-back')]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(announced).toBe(0);
    await deps.store.transaction((repos) => repos.outbox.enqueue(deps.now(), [entry('announce:1')]));
    expect(announced).toBe(1);
    await deps.store.outbox.enqueue(deps.now(), [entry('announce:2')]);
    expect(announced).toBe(2);
    unsubscribe();
    await deps.store.outbox.enqueue(deps.now(), [entry('announce:3')]);
    expect(announced).toBe(2);
  });
});

describe('the node-cron clock', () => {
  it('calls on each tick of the expression and not after stop', async () => {
    let calls = 0;
    const task = cronClock.every('* * * * * *', 'Asia/Tokyo', async () => {
      calls += 1;
    });
    await eventually(() => calls >= 1, 2_500);
    await task.stop();
    const seen = calls;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(calls).toBe(seen);
  });
});
