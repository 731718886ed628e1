import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import { consentTransfer } from '../../src/app/actions.js';
import { historyEntryText } from '../../src/app/history-text.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { zonedInstant } from '../../src/schedule/local-time.js';
import { runReminderSweep } from '../../src/schedule/reminders.js';
import { type TestDatabase, drivers } from '../support/db.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { workingDayReminders } from '../support/reminders.js';
import { awaitingConsent } from '../support/transfers.js';
import { actorIn, EMAILS, seededDatabase, type Name } from '../support/world.js';

const H = 3_600_000;
const D = 24 * H;
const TORONTO = 'America/Toronto';

/** "Mon 09:00" as the reader's clock shows it. */
function wallClock(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

type Message = Extract<Delivery, { kind: 'message' }>;

/**
 * Escalations reach each admin told in their own reminder window, and only admins who could give the
 * consent themselves: never the requester waiting for it. Paul (a partner, legal entity `partner`, admin of
 * fr-a.example and be.example) asks for a transfer from fr-a.example (legal entity `fr`) to be.example:
 * Bob, in Tokyo, is the transferee; Carol, in Paris, the transferor. Alice, in Toronto, administers both
 * accounts from the source's legal entity: she could give either consent.
 */
describe.each(drivers)('escalations on the clock of the admin told (%s)', (driver) => {
  let database: TestDatabase;
  let deps: Awaited<ReturnType<typeof seededDatabase>>['deps'];
  let heard: { at: Date; delivery: Message }[];
  const chat = new RecordingSender({ platform: 'teams', knows: () => true });
  const settings = workingDayReminders('UTC');

  beforeEach(async () => {
    ({ database, deps } = await seededDatabase(driver));
    heard = [];
    chat.log.length = 0;
    const zones: [Name, string][] = [
      ['alice', TORONTO],
      ['bob', 'Asia/Tokyo'],
      ['carol', 'Europe/Paris'],
      ['paul', 'Europe/London'],
    ];
    for (const [name, zone] of zones)
      await database.db.update(users).set({ timeZone: zone }).where(eq(users.email, EMAILS[name]));
    // Requested on Monday 30 November 2026, 13:00 in Paris.
    deps.advance(zonedInstant(2026, 11, 30, 13, 0, 'Europe/Paris').getTime() - deps.now().getTime());
  });
  afterEach(() => database.dispose());

  /** The clock walks in one-hour steps; at each one the sweep runs and the outbox is delivered. */
  async function walk(until: Date, at?: { instant: Date; then: () => Promise<void> }): Promise<void> {
    while (deps.now().getTime() < until.getTime()) {
      deps.advance(H);
      if (at && deps.now().getTime() === at.instant.getTime()) await at.then();
      await runReminderSweep(deps, settings, deps.now());
      const before = chat.log.length;
      await drainOutbox(deps, { senders: [chat] });
      for (const delivery of chat.log.slice(before))
        if (delivery.kind === 'message') heard.push({ at: deps.now(), delivery });
    }
  }

  const escalationsTo = (who: Name, id: string, role?: string) =>
    heard.filter(
      (h) =>
        h.delivery.to.id === `teams:${EMAILS[who]}` &&
        h.delivery.text.key === 'reminders:consent.escalation' &&
        h.delivery.transferId === id &&
        (role === undefined || h.delivery.text.params?.['role'] === role),
    );
  const told = (who: Name, id: string, role: string) =>
    escalationsTo(who, id, role).map(
      (h) => `#${String(h.delivery.text.params?.['number'])} ${wallClock(h.at, TORONTO)}`,
    );

  it('reaches an admin in Toronto at 09:00 Toronto on working days, never at night or on a weekend, and never the requester', async () => {
    const id = await awaitingConsent(deps, 'SO:100-1', { requester: 'paul', transferor: 'carol' });
    await walk(zonedInstant(2026, 12, 9, 12, 0, TORONTO));

    // Bob's 4th reminder came at 09:00 Monday in Tokyo, Sunday 19:00 in Toronto: Alice hears of it Monday
    // at 09:00, and of the 5th (Monday 19:00 in Toronto) on Tuesday at 09:00.
    expect(told('alice', id, 'transferee')).toEqual(['#4 Mon 09:00', '#5 Tue 09:00', '#6 Wed 09:00']);
    // Carol's 4th came on Friday at 09:00 in Paris, 03:00 in Toronto.
    expect(told('alice', id, 'transferor')).toEqual([
      '#4 Fri 09:00',
      '#5 Mon 09:00',
      '#6 Tue 09:00',
      '#7 Wed 09:00',
    ]);
    // Told on her own clock: the age the message gives is the request's as she reads it.
    const first = escalationsTo('alice', id, 'transferee')[0]!;
    expect(first.delivery.text.params).toMatchObject({ name: 'Bob Peeters', account: 'be.example' });
    // Paul asked for the transfer and waits for both answers: he is asked to chase neither.
    expect(escalationsTo('paul', id)).toEqual([]);

    // The history names who was told.
    const view = await loadTransferView(deps, id, null);
    const escalations = view!.history.filter((h) => h.action === 'reminder.escalation');
    expect(escalations.map((h) => historyEntryText('en', h).what)).toEqual(
      expect.arrayContaining([
        'Other administrators told (reminder 4): Alice Martin',
        'Other administrators told (reminder 7): Alice Martin',
      ]),
    );
    expect(escalations.every((h) => historyEntryText('en', h).what.endsWith(': Alice Martin'))).toBe(true);
  });

  it('says in the history that nobody else could be told when every admin who could answer is asked', async () => {
    // No transferor named: Alice and Carol are both asked. Nobody else may give either consent: Paul asked
    // for it, and be.example's other admins are Bob and Alice, both asked.
    const id = await awaitingConsent(deps, 'SO:100-1', { requester: 'paul' });
    await walk(zonedInstant(2026, 12, 7, 12, 0, TORONTO));

    expect(heard.filter((h) => h.delivery.text.key === 'reminders:consent.escalation')).toEqual([]);
    const view = await loadTransferView(deps, id, null);
    const escalations = view!.history.filter((h) => h.action === 'reminder.escalation');
    expect(escalations.length).toBeGreaterThan(0);
    expect(historyEntryText('en', escalations[0]!).what).toBe(
      'No other administrator could be told (reminder 4)',
    );
    expect(historyEntryText('fr', escalations[0]!).what).toBe(
      'Aucun autre administrateur n’a pu être prévenu (rappel n° 4)',
    );
    expect(historyEntryText('ja', escalations[0]!).what).toBe(
      '通知できる他の管理者なし（4回目のリマインダー）',
    );
  });

  it('does not send an escalation held for the admin’s morning once the consent is answered', async () => {
    const id = await awaitingConsent(deps, 'SO:100-1', { requester: 'paul', transferor: 'carol' });
    // Bob approves on Monday at 10:00 in Tokyo, after his 4th reminder (Sunday 19:00 in Toronto) and
    // before Alice's working day begins.
    const approvedAt = zonedInstant(2026, 12, 7, 10, 0, 'Asia/Tokyo');
    await walk(new Date(approvedAt.getTime() + 2 * D), {
      instant: approvedAt,
      then: async () => {
        const bob = await actorIn(deps, 'bob');
        const approved = await consentTransfer(deps, bob, id, 'approve');
        expect(approved.ok).toBe(true);
      },
    });

    expect(told('alice', id, 'transferee')).toEqual([]);
    // Nor is she told to stop chasing what she was never asked to chase.
    const settled = (who: Name) =>
      heard.filter(
        (h) =>
          h.delivery.to.id === `teams:${EMAILS[who]}` &&
          h.delivery.transferId === id &&
          h.delivery.text.key === 'core:notify.followUpApproved',
      ).length;
    expect(settled('alice')).toBe(0);
    // Carol's consent is still awaited: Alice is still told of it, at 09:00 her time.
    expect(told('alice', id, 'transferor')).toEqual(['#4 Fri 09:00', '#5 Mon 09:00', '#6 Tue 09:00']);
  });

  it('holds back no message to the admin about the transfer while the escalation waits for her morning', async () => {
    const id = await awaitingConsent(deps, 'SO:100-1', { requester: 'paul', transferor: 'carol' });
    // Sunday 20:00 in Toronto: Bob's 4th reminder went an hour ago, Alice's escalation waits for Monday.
    await walk(zonedInstant(2026, 12, 6, 20, 0, TORONTO));
    expect(told('alice', id, 'transferee')).toEqual([]);
    const alice = (await actorIn(deps, 'alice')).userId;
    await deps.store.outbox.enqueue(deps.now(), [
      {
        dedupeKey: `test:${id}:note`,
        recipientUserId: alice,
        payload: {
          type: 'message',
          transferId: id,
          text: { key: 'reminders:age.waiting', params: { age: 1 } },
        },
      },
    ]);
    await drainOutbox(deps, { senders: [chat] });
    expect(chat.log.some((d) => d.kind === 'message' && d.text.key === 'reminders:age.waiting')).toBe(true);
    expect(told('alice', id, 'transferee')).toEqual([]);
  });
});
