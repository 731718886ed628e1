import { createStore } from '../../db/store.js';
import type { Store } from '../../src/app/ports/store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  consents,
  history,
  outbox,
  roleGrants,
  smartAccounts,
  transfers,
  userIdentities,
  users,
} from '../../db/schema.js';
import { cancelTransfer, consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { historyEntryText } from '../../src/app/history-text.js';
import { changeRole } from '../../src/app/roles.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { tr } from '../../src/i18n/index.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { zonedInstant } from '../../src/schedule/local-time.js';
import { runReminderSweep, type SweepSummary } from '../../src/schedule/reminders.js';
import { reminderSettings } from '../../src/schedule/settings.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { awaitingConsent, pendingSubmission } from '../support/transfers.js';
import { actor, EMAILS, seedWorld, testDeps } from '../support/world.js';
import { workingDayReminders } from '../support/reminders.js';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

const settings = workingDayReminders('Europe/Paris');

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

/** What a sweep put in the outbox. */
const sent = (s: SweepSummary) =>
  s.consentReminders + s.escalations + s.expiries + s.submissionReminders + s.complianceReminders;

interface Heard {
  at: Date;
  delivery: Delivery;
}

describe.each(drivers)('reminders, escalation and expiry (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  const heard: Heard[] = [];
  // A chat platform that reaches everyone (the console's cards are drawn when read, never redrawn).
  const chat = new RecordingSender({
    platform: 'teams',
    knows: () => true,
    channels: { compliance: 'compliance' },
  });

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db);
    deps.config.consentExpireAfterMs = 10 * D;
  });
  afterAll(() => database.dispose());

  const moveTo = (instant: Date) => deps.advance(instant.getTime() - deps.now().getTime());

  /**
   * The clock walks in one-hour steps; at each one the sweep runs and the outbox is delivered — after the
   * first step, only when something is waiting in it (the sweep sent something, a delivery is to be
   * tried again, or an escalation waits for its reader's working hours): an empty outbox has nothing to deliver.
   */
  async function walk(until: Date, step = H, schedule = settings): Promise<void> {
    let waiting = true;
    while (deps.now().getTime() < until.getTime()) {
      deps.advance(step);
      const swept = await runReminderSweep(deps, schedule, deps.now());
      if (sent(swept) > 0) waiting = true;
      if (!waiting) continue;
      const before = chat.log.length;
      const delivered = await drainOutbox(deps, { senders: [chat] });
      waiting = delivered.retried > 0 || (await deps.store.outbox.pendingCount()) > 0;
      for (const delivery of chat.log.slice(before)) heard.push({ at: deps.now(), delivery });
    }
  }

  const messagesTo = (who: string, key: string, transferId: string) =>
    heard.filter(
      (h): h is Heard & { delivery: Extract<Delivery, { kind: 'message' }> } =>
        h.delivery.kind === 'message' &&
        h.delivery.to.id === `teams:${who}` &&
        h.delivery.text.key === key &&
        h.delivery.transferId === transferId,
    );

  it.each([
    ['Europe/Paris', 'SO:100-1', [2026, 11, 27], ['#4 Thu 09:00', '#5 Fri 09:00', '#6 Mon 09:00']],
    // Bob's reminders come at 09:00 in Tokyo, 01:00 in Paris: Paul hears of each at 09:00 on his own
    // clock (TZ_DEFAULT's), and not of the 6th, which would reach him after the transfer expired.
    ['Asia/Tokyo', 'SO:100-2', [2026, 12, 11], ['#4 Thu 09:00', '#5 Fri 09:00']],
  ] as const)(
    'walks a consent in %s through reminders 1, 2, 3, escalation and expiry, skipping the weekend',
    async (zone, ref, [y, m, d], escalatedToPaul) => {
      await database.db.update(users).set({ timeZone: zone }).where(eq(users.email, EMAILS.bob));
      // Requested on a Friday at 14:00 on Bob's clock.
      moveTo(zonedInstant(y, m, d, 14, 0, zone));
      const id = await awaitingConsent(deps, ref);
      const requestedAt = deps.now();
      await walk(new Date(requestedAt.getTime() + 11 * D));

      const reminders = messagesTo(EMAILS.bob, 'reminders:consent.reminder', id);
      expect(
        reminders.map((r) => `${String(r.delivery.text.params?.['number'])} ${wallClock(r.at, zone)}`),
      ).toEqual(['1 Mon 09:00', '2 Tue 09:00', '3 Wed 09:00', '4 Thu 09:00', '5 Fri 09:00', '6 Mon 09:00']);
      // Each carries its count and the age of the request.
      expect(reminders[0]!.delivery.text.params).toMatchObject({ id, number: 1, role: 'transferee' });
      expect(tr('en', reminders[0]!.delivery.lines[0]!)).toBe('Waiting for 2 days.');
      expect(tr('en', reminders[5]!.delivery.lines[0]!)).toBe('Waiting for 9 days.');

      // After three reminders, the other admins of the destination hear of it too, each in their own
      // window — not Bob, not before, and not Alice, who asked for the transfer and waits for his answer.
      const escalations = heard.filter(
        (h) =>
          h.delivery.kind === 'message' &&
          h.delivery.text.key === 'reminders:consent.escalation' &&
          h.delivery.transferId === id,
      );
      const escalated = escalations.map(
        (h) =>
          `${h.delivery.kind === 'message' ? h.delivery.to.id : ''} #${String(h.delivery.kind === 'message' && h.delivery.text.params?.['number'])} ${wallClock(h.at, 'Europe/Paris')}`,
      );
      expect(escalated).toEqual(escalatedToPaul.map((told) => `teams:${EMAILS.paul} ${told}`));
      expect(
        escalations[0]!.delivery.kind === 'message' && escalations[0]!.delivery.text.params,
      ).toMatchObject({ name: 'Bob Peeters', account: 'be.example', accountName: 'Lumière Belgique' });

      // Ten days after the request: cancelled, consent not given in time, and everyone involved told.
      const view = await loadTransferView(deps, id, null);
      expect(view!.status).toBe('cancelled');
      expect(view!.cancelReason?.key).toBe('core:cancel.consentExpired');
      const cancelledAt = view!.history.find((h) => h.to === 'cancelled')!.at;
      expect(cancelledAt.getTime() - requestedAt.getTime()).toBe(10 * D);
      for (const who of [EMAILS.alice, EMAILS.bob]) {
        const told = messagesTo(who, 'core:notify.statusChanged', id).filter(
          (h) => h.delivery.text.params?.['status'] === 'cancelled',
        );
        expect(told, who).toHaveLength(1);
      }
      const closed = heard.find((h) => h.delivery.kind === 'update' && h.delivery.card.transfer.id === id);
      expect(closed?.delivery.kind === 'update' && closed.delivery.card).toMatchObject({
        open: false,
        outcome: { closedBecause: { key: 'core:cancel.consentExpired' } },
      });

      // Nothing on a weekend, nothing after the expiry, and every reminder in the history.
      const local = (at: Date) => wallClock(at, zone).slice(0, 3);
      expect(
        heard
          .filter(
            (h) =>
              h.delivery.kind === 'message' &&
              h.delivery.text.key.startsWith('reminders:') &&
              h.delivery.transferId === id,
          )
          .some((h) => ['Sat', 'Sun'].includes(local(h.at))),
      ).toBe(false);
      expect(reminders.every((r) => r.at.getTime() < cancelledAt.getTime())).toBe(true);
      expect(view!.history.filter((h) => h.action === 'reminder.consent')).toHaveLength(6);
      expect(view!.history.filter((h) => h.action === 'reminder.escalation')).toHaveLength(3);
      // The record names who was told, in every reader's words, and the JSON says it as the row's reason.
      const escalation = view!.history.find((h) => h.action === 'reminder.escalation')!;
      expect(historyEntryText('en', escalation).what).toMatch(
        /^Other administrators told \(reminder 4\): Paul Partner$/,
      );
      expect(historyEntryText('fr', escalation).what).toMatch(
        /^Autres administrateurs prévenus \(rappel n° 4\)\u00a0: Paul Partner$/,
      );
      const json = transferJson(view!).history as { action: string; reason: string | null }[];
      expect(json.find((h) => h.action === 'reminder.escalation')?.reason).toMatch(
        /^Other administrators told/,
      );
      expect(json.find((h) => h.action === 'reminder.consent')?.reason).toBe(
        'Consent reminder 1 sent to Bob Peeters',
      );
    },
  );

  it('catches up a window missed while no instance ran, with one reminder rather than several', async () => {
    await database.db.update(users).set({ timeZone: null }).where(eq(users.email, EMAILS.bob));
    moveTo(zonedInstant(2027, 1, 4, 10, 0, 'Europe/Paris')); // Monday
    const id = await awaitingConsent(deps, 'SO:103-1');
    deps.advance(3 * D + 5 * H); // Thursday 15:00: Tuesday's and Wednesday's windows went by unseen
    const first = await runReminderSweep(deps, settings, deps.now());
    const again = await runReminderSweep(deps, settings, deps.now());
    expect(first.consentReminders).toBe(1);
    expect(again.consentReminders).toBe(0);
    const [consent] = await database.db.select().from(consents).where(eq(consents.transferId, id));
    expect(consent).toMatchObject({ remindersSent: 1 });
    await consentTransfer(deps, await actor(database.db, 'bob'), id, 'reject', 'No');
  });

  it('reminds a requester whose request sits in Pending Submission, until it is submitted', async () => {
    moveTo(zonedInstant(2027, 1, 8, 10, 0, 'Europe/Paris')); // Friday; Alice has no zone: TZ_DEFAULT
    const id = await pendingSubmission(deps, 'SO:104-1');
    await walk(new Date(deps.now().getTime() + 10 * D), H);
    const reminders = messagesTo(EMAILS.alice, 'reminders:submission.reminder', id);
    expect(
      reminders.map(
        (r) => `${String(r.delivery.text.params?.['number'])} ${wallClock(r.at, 'Europe/Paris')}`,
      ),
    ).toEqual(['1 Mon 10:00', '2 Thu 09:00', '3 Mon 09:00']);
    expect(tr('en', reminders[0]!.delivery.lines[0]!)).toBe('Waiting for 3 days.');
    const alice = await actor(database.db, 'alice');
    expect((await submitTransfer(deps, alice, id)).ok).toBe(true);
    const count = reminders.length;
    // Nothing more once submitted: a window a sweep passes over would still be caught up by the next one.
    await walk(new Date(deps.now().getTime() + 7 * D), 3 * H);
    expect(messagesTo(EMAILS.alice, 'reminders:submission.reminder', id)).toHaveLength(count);
  });

  it('reminds the compliance channel once screening is older than 2 working days, each working day until decided', async () => {
    moveTo(zonedInstant(2027, 1, 25, 10, 0, 'Europe/Paris')); // Monday
    const id = await awaitingConsent(deps, 'SO:105-1');
    expect((await consentTransfer(deps, await actor(database.db, 'bob'), id, 'approve')).ok).toBe(true);
    await walk(new Date(deps.now().getTime() + 7 * D), H);
    const reminders = heard.filter(
      (h) =>
        h.delivery.kind === 'message' &&
        h.delivery.to.id === 'compliance' &&
        h.delivery.text.key === 'reminders:compliance.reminder' &&
        h.delivery.transferId === id,
    );
    expect(
      reminders.map(
        (r) =>
          `${String(r.delivery.kind === 'message' && r.delivery.text.params?.['number'])} ${wallClock(r.at, 'Europe/Paris')}`,
      ),
    ).toEqual(['1 Wed 10:00', '2 Thu 09:00', '3 Fri 09:00', '4 Mon 09:00']);
    expect(reminders[0]!.delivery.kind === 'message' && reminders[0]!.delivery.text.params).toMatchObject({
      id,
      count: 2,
    });
    expect((await screenTransfer(deps, await actor(database.db, 'cora'), id, 'approve')).ok).toBe(true);
    await walk(new Date(deps.now().getTime() + 3 * D), 3 * H);
    expect(
      heard.filter(
        (h) =>
          h.delivery.kind === 'message' &&
          h.delivery.text.key === 'reminders:compliance.reminder' &&
          h.delivery.transferId === id,
      ),
    ).toHaveLength(4);
  });

  it('with REMINDER_CRON=0 9 * * 3, reminds on Wednesdays only, at 09:00 on the reader’s clock', async () => {
    const wednesdays = reminderSettings(
      { CONSENT_REMIND_EVERY: D, CONSENT_ESCALATE_AFTER: 3, REMINDER_CRON: '0 9 * * 3', TZ_DEFAULT: 'UTC' },
      'test',
    );
    const zone = 'America/New_York';
    await database.db.update(users).set({ timeZone: zone }).where(eq(users.email, EMAILS.bob));
    moveTo(zonedInstant(2027, 2, 8, 9, 0, zone)); // Monday
    const id = await awaitingConsent(deps, 'SO:100-2');
    await walk(new Date(deps.now().getTime() + 9 * D), 3 * H, wednesdays);
    const reminders = messagesTo(EMAILS.bob, 'reminders:consent.reminder', id);
    expect(
      reminders.map((r) => `${String(r.delivery.text.params?.['number'])} ${wallClock(r.at, zone)}`),
    ).toEqual(['1 Wed 09:00', '2 Wed 09:00']);
    await consentTransfer(deps, await actor(database.db, 'bob'), id, 'reject', 'No');
  });

  it('reminds no one asked who can no longer answer, and the others as before', async () => {
    moveTo(zonedInstant(2027, 3, 1, 10, 0, 'Europe/Paris')); // Monday
    // Paul, a partner, asks Alice and Carol (the source's own administrators) as transferor, Bob as transferee.
    const id = await awaitingConsent(deps, 'SN:FOC0001', { requester: 'paul', transferee: 'bob' });
    const ada = await actor(database.db, 'ada', 'slack');
    const revoked = await changeRole(deps, ada, 'revoke', {
      email: EMAILS.carol,
      role: 'admin',
      smartAccount: 'fr-a.example',
    });
    expect(revoked.ok && revoked.value.cancelled).toEqual([]);
    await walk(new Date(deps.now().getTime() + 4 * D), H);

    expect(messagesTo(EMAILS.alice, 'reminders:consent.reminder', id).length).toBeGreaterThan(0);
    expect(messagesTo(EMAILS.bob, 'reminders:consent.reminder', id).length).toBeGreaterThan(0);
    expect(messagesTo(EMAILS.carol, 'reminders:consent.reminder', id)).toEqual([]);
    const carol = await actor(database.db, 'carol');
    const [asked] = await database.db
      .select()
      .from(consents)
      .where(and(eq(consents.transferId, id), eq(consents.userId, carol.userId)));
    expect(asked).toMatchObject({ remindersSent: 0, decision: null });
    const reminded = (await loadTransferView(deps, id, null))!.history
      .filter((h) => h.action === 'reminder.consent')
      .map((h) => historyEntryText('en', h).what);
    expect(reminded.some((what) => what.includes('Carol Durand'))).toBe(false);
    await consentTransfer(deps, await actor(database.db, 'bob'), id, 'reject', 'No');
  });

  /** What Slack said of the person's zone, stored with their Slack link as users.info's answer is. */
  async function slackSaysZone(name: 'alice' | 'bob', zone: string | null): Promise<void> {
    const { userId } = await actor(database.db, name);
    if (zone !== null)
      await deps.store.users.notePlatformLocale(userId, 'slack', { timeZone: zone }, deps.now());
    else
      await database.db
        .update(userIdentities)
        .set({ timeZone: null })
        .where(and(eq(userIdentities.userId, userId), eq(userIdentities.platform, 'slack')));
  }

  it('reminds a person the inventory gives no zone at 09:00 of the zone Slack gave, the clock their reminder is read on', async () => {
    // Bob's dates are shown in Tokyo time, as Slack said; TZ_DEFAULT is Paris, seven hours behind.
    await database.db.update(users).set({ timeZone: null }).where(eq(users.email, EMAILS.bob));
    await slackSaysZone('bob', 'Asia/Tokyo');
    moveTo(zonedInstant(2027, 4, 2, 14, 0, 'Asia/Tokyo')); // Friday
    const id = await awaitingConsent(deps, 'SO:100-1');
    await walk(new Date(deps.now().getTime() + 5 * D));

    const reminders = messagesTo(EMAILS.bob, 'reminders:consent.reminder', id);
    expect(
      reminders.map((r) => `${String(r.delivery.text.params?.['number'])} ${wallClock(r.at, 'Asia/Tokyo')}`),
    ).toEqual(['1 Mon 09:00', '2 Tue 09:00', '3 Wed 09:00']);
    // The reminder itself is drawn on that clock, as every date Bob reads.
    expect(reminders.map((r) => r.delivery.to.reader.timeZone)).toEqual([
      'Asia/Tokyo',
      'Asia/Tokyo',
      'Asia/Tokyo',
    ]);
    await consentTransfer(deps, await actor(database.db, 'bob'), id, 'reject', 'No');
    await slackSaysZone('bob', null);
  });

  it('keeps the inventory’s zone for a person’s reminders over the one Slack gave', async () => {
    const zone = 'America/New_York';
    await database.db.update(users).set({ timeZone: zone }).where(eq(users.email, EMAILS.bob));
    await slackSaysZone('bob', 'Asia/Tokyo');
    moveTo(zonedInstant(2027, 4, 16, 14, 0, zone)); // Friday
    const id = await awaitingConsent(deps, 'SO:100-1');
    await walk(new Date(deps.now().getTime() + 4 * D));

    const reminders = messagesTo(EMAILS.bob, 'reminders:consent.reminder', id);
    expect(
      reminders.map((r) => `${String(r.delivery.text.params?.['number'])} ${wallClock(r.at, zone)}`),
    ).toEqual(['1 Mon 09:00', '2 Tue 09:00']);
    expect(reminders.map((r) => r.delivery.to.reader.timeZone)).toEqual([zone, zone]);
    await consentTransfer(deps, await actor(database.db, 'bob'), id, 'reject', 'No');
    await database.db.update(users).set({ timeZone: null }).where(eq(users.email, EMAILS.bob));
    await slackSaysZone('bob', null);
  });

  it('reminds a requester the inventory gives no zone on the clock of the zone Slack gave', async () => {
    // Alice has no zone in the inventory; Slack says Tokyo. Her request sits from Friday 10:00 there.
    await slackSaysZone('alice', 'Asia/Tokyo');
    moveTo(zonedInstant(2027, 4, 30, 10, 0, 'Asia/Tokyo')); // Friday
    const id = await pendingSubmission(deps, 'SO:100-2');
    await walk(new Date(deps.now().getTime() + 4 * D));

    const reminders = messagesTo(EMAILS.alice, 'reminders:submission.reminder', id);
    expect(
      reminders.map((r) => `${String(r.delivery.text.params?.['number'])} ${wallClock(r.at, 'Asia/Tokyo')}`),
    ).toEqual(['1 Mon 10:00']);
    expect(reminders[0]!.delivery.to.reader.timeZone).toBe('Asia/Tokyo');
    expect((await cancelTransfer(deps, await actor(database.db, 'alice'), id)).ok).toBe(true);
    await slackSaysZone('alice', null);
  });

  /**
   * The admins a reminder escalated to ("please follow up with them") hear once, in their language, that
   * the consent they were asked to chase is no longer awaited. Hugo, French, is a second administrator of
   * Lumière Belgique beside Bob (the transferee asked); Alice asks.
   */
  describe('admins asked to follow up', () => {
    const HUGO = 'hugo.lambert@be.example';
    let hugoGrant: { userId: number; smartAccountId: number };
    beforeAll(async () => {
      const [be] = await database.db
        .select()
        .from(smartAccounts)
        .where(eq(smartAccounts.domain, 'be.example'));
      const [hugo] = await database.db
        .insert(users)
        .values({ email: HUGO, name: 'Hugo Lambert', locale: 'fr', legalEntityId: 'be' })
        .returning();
      hugoGrant = { userId: hugo!.id, smartAccountId: be!.id };
      await database.db.insert(roleGrants).values({ ...hugoGrant, role: 'admin' });
    });
    afterAll(async () => {
      await database.db
        .delete(roleGrants)
        .where(
          and(
            eq(roleGrants.userId, hugoGrant.userId),
            eq(roleGrants.smartAccountId, hugoGrant.smartAccountId),
          ),
        );
    });

    /** The follow-up ends each person heard about the transfer, drawn as their platform draws them. */
    const followUps = (transferId: string) =>
      heard.flatMap(({ delivery: d }) =>
        d.kind === 'message' && d.transferId === transferId && d.text.key.startsWith('core:notify.followUp')
          ? [
              {
                to: d.to.id.replace(/^teams:/u, ''),
                text: tr(d.to.reader, d.text),
                lines: d.lines.map((l) => tr(d.to.reader, l)),
              },
            ]
          : [],
      );

    /** Whom the record says the escalations told, by e-mail. */
    async function escalatedTo(transferId: string): Promise<Set<string>> {
      const rows = await database.db
        .select({ details: history.details })
        .from(history)
        .where(and(eq(history.transferId, transferId), eq(history.action, 'reminder.escalation')));
      const ids = [...new Set(rows.flatMap((r) => r.details?.['to'] as number[]))];
      const people = await database.db.select().from(users).where(inArray(users.id, ids));
      return new Set(people.map((p) => p.email));
    }

    it('tells each of them once, in their language, when the transfer is cancelled for want of consent', async () => {
      moveTo(zonedInstant(2027, 5, 10, 10, 0, 'Europe/Paris')); // Monday
      const id = await awaitingConsent(deps, 'SO:100-1');
      await walk(new Date(deps.now().getTime() + 11 * D));
      expect((await loadTransferView(deps, id, null))!.status).toBe('cancelled');
      expect(messagesTo(HUGO, 'reminders:consent.escalation', id).length).toBeGreaterThan(1);

      const told = followUps(id);
      const hugo = told.filter((t) => t.to === HUGO);
      expect(hugo).toHaveLength(1);
      expect(hugo[0]!.text).toBe(
        `La transaction ${id} est passée au statut «\u00a0Annulé\u00a0»\u00a0: le consentement pour lequel vous étiez invité à relancer n’est plus attendu, et il n’est plus nécessaire de relancer.`,
      );
      expect(hugo[0]!.lines).toContain('Consentement non donné dans les délais.');
      // Everyone else the record says was told hears it once too; Alice, who asked, has her status message.
      const escalated = await escalatedTo(id);
      for (const who of escalated)
        expect(
          told.filter((t) => t.to === who),
          who,
        ).toHaveLength(who === EMAILS.alice ? 0 : 1);
      expect(told.filter((t) => t.to === EMAILS.alice)).toEqual([]);
      expect(told.every((t) => escalated.has(t.to))).toBe(true);

      // Nothing more later: it was said once.
      await walk(new Date(deps.now().getTime() + 3 * D), 3 * H);
      expect(followUps(id)).toHaveLength(told.length);
    });

    it('tells each of them once, in their language, who answered at last, and nothing of the later steps', async () => {
      moveTo(zonedInstant(2027, 5, 24, 10, 0, 'Europe/Paris')); // Monday
      const id = await awaitingConsent(deps, 'SO:100-2');
      // Reminders on Tuesday, Wednesday and Thursday; on Friday the fourth, and the other admins hear of it.
      await walk(new Date(deps.now().getTime() + 4 * D + H));
      expect(messagesTo(HUGO, 'reminders:consent.escalation', id)).toHaveLength(1);
      expect(followUps(id)).toEqual([]);

      expect((await consentTransfer(deps, await actor(database.db, 'bob'), id, 'approve')).ok).toBe(true);
      await walk(new Date(deps.now().getTime() + H));
      const told = followUps(id);
      const hugo = told.filter((t) => t.to === HUGO);
      expect(hugo).toHaveLength(1);
      expect(hugo[0]!.text).toBe(
        `Transaction ${id}\u00a0: Bob Peeters (cessionnaire) a maintenant approuvé la demande. Vous étiez invité à relancer cette personne\u00a0: ce n’est plus nécessaire.`,
      );
      const escalated = await escalatedTo(id);
      for (const who of escalated)
        expect(
          told.filter((t) => t.to === who),
          who,
        ).toHaveLength(who === EMAILS.alice ? 0 : 1);

      // Screening and the transfer itself are not theirs to hear.
      expect((await screenTransfer(deps, await actor(database.db, 'cora'), id, 'approve')).ok).toBe(true);
      await walk(new Date(deps.now().getTime() + H));
      expect((await loadTransferView(deps, id, null))!.status).toBe('transfer_completed');
      expect(followUps(id)).toHaveLength(told.length);
      expect(
        heard.filter(
          (h) =>
            h.delivery.kind === 'message' &&
            h.delivery.transferId === id &&
            h.delivery.to.id === `teams:${HUGO}`,
        ),
      ).toHaveLength(2);
    });
  });
});

describe.each(drivers)('two instances sweeping at once (%s)', (driver) => {
  let database: TestDatabase;
  let other: TestDatabase | { db: TestDatabase['db']; close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    const { openDatabase } = await import('../../db/client.js');
    other = database.url ? await openDatabase({ databaseUrl: database.url, max: 10 }) : database;
  });
  afterAll(async () => {
    if (other !== database) await other.close();
    await database.dispose();
  });

  it('logs the expiry another instance did first at debug, not as a warning', async () => {
    const deps = testDeps(database.db);
    deps.config.consentExpireAfterMs = 10 * D;
    const id = await awaitingConsent(deps, 'SO:104-1');
    deps.advance(11 * D);
    const logged: { level: string; fields: object; message: string }[] = [];
    const keep = (level: string) => (fields: object, message: string) =>
      logged.push({ level, fields, message });
    const logger = { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
    // This instance reads the due expiry; the other sweeps the same window to its end before it goes on.
    const store = createStore(database.db);
    const read = store.reminders.awaitedConsents.bind(store.reminders);
    store.reminders.awaitedConsents = async (...args) => {
      const found = await read(...args);
      const instance = testDeps(other.db, deps.now());
      instance.config.consentExpireAfterMs = 10 * D;
      const first = await runReminderSweep(instance, settings, deps.now());
      expect(first).toMatchObject({ expiries: 1 });
      return found;
    };
    const late = await runReminderSweep({ ...deps, store }, settings, deps.now(), logger);
    expect(late.expiries).toBe(0);
    expect((await loadTransferView(deps, id, null))!.status).toBe('cancelled');
    expect(logged.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(logged).toContainEqual({
      level: 'debug',
      fields: { transferId: id, refusal: 'wrong_status' },
      message: 'consent expiry: the transfer had moved on',
    });
  });

  it('send each of 1,000 due reminders exactly once', async () => {
    const deps = testDeps(database.db, zonedInstant(2027, 2, 3, 9, 30, 'Europe/Paris')); // Wednesday
    const [alice, bob] = await Promise.all([actor(database.db, 'alice'), actor(database.db, 'bob')]);
    const sas = await database.db.execute(sql`select id, domain from smart_accounts`);
    const rows = (Array.isArray(sas) ? sas : (sas as { rows: unknown[] }).rows) as {
      id: number;
      domain: string;
    }[];
    const source = rows.find((r) => r.domain === 'fr-a.example')!.id;
    const destination = rows.find((r) => r.domain === 'be.example')!.id;
    const vas = await database.db.execute(
      sql`select id from virtual_accounts where smart_account_id = ${destination}`,
    );
    const va = ((Array.isArray(vas) ? vas : (vas as { rows: unknown[] }).rows) as { id: number }[])[0]!.id;
    const requestedAt = new Date(deps.now().getTime() - 2 * D);
    const ids = Array.from({ length: 1000 }, (_, n) => `AT-RACE${String(n).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 250) {
      const chunk = ids.slice(i, i + 250);
      await database.db.insert(transfers).values(
        chunk.map((id) => ({
          id,
          status: 'awaiting_consent' as const,
          requesterId: alice.userId,
          sourceSmartAccountId: source,
          destinationSmartAccountId: destination,
          destinationVirtualAccountId: va,
          sameCompanyAnswer: false,
          sameLegalEntity: false,
          transfereeId: bob.userId,
          surface: 'console',
          createdAt: requestedAt,
          updatedAt: requestedAt,
        })),
      );
      await database.db.insert(consents).values(
        chunk.map((id) => ({
          transferId: id,
          role: 'transferee' as const,
          userId: bob.userId,
          requestedAt,
        })),
      );
    }

    // Each instance has listed the 1,000 due consents before either sends one, as two ticks of the same
    // minute do: without this, on a loaded machine one sweep could finish before the other starts.
    let listed = 0;
    let bothListed!: () => void;
    const together = new Promise<void>((resolve) => (bothListed = resolve));
    const listingTogether = (store: Store): Store => ({
      ...store,
      reminders: {
        ...store.reminders,
        async awaitedConsents(status) {
          const due = await store.reminders.awaitedConsents(status);
          if (++listed === 2) bothListed();
          await together;
          return due;
        },
      },
    });
    const started = performance.now();
    const [a, b] = await Promise.all([
      runReminderSweep(
        { ...deps, store: listingTogether(deps.store) },
        { ...settings, instanceId: 'a' },
        deps.now(),
      ),
      runReminderSweep(
        { ...deps, store: listingTogether(createStore(other.db)) },
        { ...settings, instanceId: 'b' },
        deps.now(),
      ),
    ]);
    const seconds = (performance.now() - started) / 1000;
    expect(a.consentReminders + b.consentReminders).toBe(1000);
    expect(a.skipped + b.skipped).toBe(1000);

    const enqueued = await database.db
      .select({ key: outbox.dedupeKey })
      .from(outbox)
      .where(sql`${outbox.dedupeKey} like 'reminder:AT-RACE%'`);
    expect(enqueued).toHaveLength(1000);
    expect(new Set(enqueued.map((e) => e.key)).size).toBe(1000);
    const bumped = await database.db
      .select({ n: consents.remindersSent })
      .from(consents)
      .where(sql`${consents.transferId} like 'AT-RACE%'`);
    expect(bumped.every((c) => c.n === 1)).toBe(true);
    const recorded = await database.db
      .select({ id: history.id })
      .from(history)
      .where(and(eq(history.action, 'reminder.consent'), sql`${history.transferId} like 'AT-RACE%'`));
    expect(recorded).toHaveLength(1000);

    // A restart (or a slow tick overrunning into the next) in the same window sends nothing more.
    const restarted = await runReminderSweep(
      deps,
      { ...settings, instanceId: 'c' },
      new Date(deps.now().getTime() + 5 * H),
    );
    expect(restarted.consentReminders).toBe(0);
    console.info(
      `[${driver}] 1,000 due reminders, 2 sweeps at once: ${seconds.toFixed(2)} s; split ${a.consentReminders}/${b.consentReminders}`,
    );
  });
});
