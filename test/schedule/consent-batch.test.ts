import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, isNull, like, sql } from 'drizzle-orm';
import {
  consents,
  history,
  outbox,
  smartAccounts,
  transfers,
  users,
  virtualAccounts,
} from '../../db/schema.js';
import { rowsOf } from '../../db/client.js';
import { CONSENT_BATCH, remindConsents, type DueConsent } from '../../src/schedule/consent-batch.js';
import { tr } from '../../src/i18n/index.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { actor, seedWorld, testDeps } from '../support/world.js';
import { workingDayReminders } from '../support/reminders.js';

const D = 86_400_000;
const WINDOW = '2027-03-03';
/** The usual policy on UTC: the tests' clock (Wednesday 10:00) is in everyone's window. */
const clock = workingDayReminders('UTC');

/**
 * The consent reminders of one sweep go out in batches, one database transaction each: every due
 * reminder once, with its message and history — and none for a consent or transfer that moved on.
 */
describe.each(drivers)('consent reminders in batches (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let bob: number;
  let destination: number;
  let sourceId: number;
  let aliceId: number;
  /** A transfer from fr-a.example to be.example awaiting Bob's consent, requested at `at`. */
  let awaiting: (id: string, requesterId: number, at: Date) => typeof transfers.$inferInsert;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db, new Date(`${WINDOW}T10:00:00Z`));
    const alice = await actor(database.db, 'alice');
    aliceId = alice.userId;
    bob = (await actor(database.db, 'bob')).userId;
    const [source] = await database.db
      .select()
      .from(smartAccounts)
      .where(eq(smartAccounts.domain, 'fr-a.example'));
    const [be] = await database.db.select().from(smartAccounts).where(eq(smartAccounts.domain, 'be.example'));
    destination = be!.id;
    const [va] = await database.db
      .select()
      .from(virtualAccounts)
      .where(eq(virtualAccounts.smartAccountId, be!.id));
    sourceId = source!.id;
    awaiting = (id, requesterId, at) => ({
      id,
      status: 'awaiting_consent',
      requesterId,
      sourceSmartAccountId: source!.id,
      destinationSmartAccountId: be!.id,
      destinationVirtualAccountId: va!.id,
      sameCompanyAnswer: false,
      sameLegalEntity: false,
      transfereeId: bob,
      surface: 'console',
      createdAt: at,
      updatedAt: at,
    });
    const requestedAt = new Date(deps.now().getTime() - 2 * D);
    const ids = Array.from({ length: CONSENT_BATCH + 30 }, (_, n) => `AT-BATCH${String(n).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await database.db.insert(transfers).values(chunk.map((id) => awaiting(id, alice.userId, requestedAt)));
      await database.db
        .insert(consents)
        .values(
          chunk.map((id) => ({ transferId: id, role: 'transferee' as const, userId: bob, requestedAt })),
        );
    }
  });
  afterAll(() => database.dispose());

  async function due(ids: string[], number = 1): Promise<DueConsent[]> {
    const rows = await database.db.select().from(consents).where(like(consents.transferId, 'AT-BATCH%'));
    return rows
      .filter((c) => ids.includes(c.transferId))
      .sort((a, b) => a.id - b.id)
      .map((c) => ({
        consentId: c.id,
        transferId: c.transferId,
        role: c.role,
        userId: c.userId,
        name: 'Bob Peeters',
        requesterId: aliceId,
        requestedAt: c.requestedAt,
        escalateTo: destination,
        number,
        escalate: number > 3,
        window: WINDOW,
      }));
  }
  const count = async (table: typeof outbox | typeof history, where: ReturnType<typeof sql>) =>
    (
      await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(where)
    )[0]!.n;

  /** The page each of the batch's consents is on (the block of its row's current version). */
  const pages = async () =>
    new Map(
      rowsOf<{ id: number; page: number }>(
        await database.db.execute(
          sql`select id, (ctid::text::point)[0]::int as page from consents where transfer_id like 'AT-BATCH%'`,
        ),
      ).map((r) => [Number(r.id), Number(r.page)]),
    );

  it('sends each due reminder once, across more than one batch, with its history', async () => {
    const all = await due((await database.db.select({ id: transfers.id }).from(transfers)).map((t) => t.id));
    expect(all.length).toBeGreaterThan(CONSENT_BATCH);
    const before = await pages();
    const first = await remindConsents(deps, clock, deps.now(), all);
    expect(first).toEqual({ sent: all.length, escalations: 0, skipped: 0 });
    // Counts are updated in place: most consents keep their page, and none of the table's indexes is
    // written for them. Migration 0016 leaves room on each page (92 % stayed in the benchmark's sweep; on
    // pages filled to the default, 1 %). The last rows of a page find no room: they move, as before.
    const after = await pages();
    const stayed = [...before].filter(([id, page]) => after.get(id) === page).length;
    expect(stayed / before.size).toBeGreaterThan(0.8);
    expect(await count(outbox, sql`${outbox.dedupeKey} like 'reminder:AT-BATCH%'`)).toBe(all.length);
    expect(
      await count(
        history,
        sql`${history.action} = 'reminder.consent' and ${history.transferId} like 'AT-BATCH%'`,
      ),
    ).toBe(all.length);
    const [message] = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `reminder:AT-BATCH0000:consent-transferee:${WINDOW}:to:${bob}`));
    expect(message?.recipientUserId).toBe(bob);
    expect(message?.payload).toMatchObject({
      type: 'message',
      transferId: 'AT-BATCH0000',
      text: {
        key: 'reminders:consent.reminder',
        params: { id: 'AT-BATCH0000', number: 1, role: 'transferee' },
      },
      lines: [
        { key: 'reminders:age.waiting', params: { age: 2 * D } },
        { key: 'reminders:consent.howTo' },
        { key: 'reminders:consent.cancelledIn', params: { left: deps.config.consentExpireAfterMs - 2 * D } },
      ],
    });
    const bumped = await database.db
      .select({ n: consents.remindersSent })
      .from(consents)
      .where(like(consents.transferId, 'AT-BATCH%'));
    expect(bumped.every((c) => c.n === 1)).toBe(true);

    // The same window again (a second instance, or a tick that overran): nothing more goes out.
    const again = await remindConsents(deps, clock, deps.now(), all);
    expect(again).toEqual({ sent: 0, escalations: 0, skipped: all.length });
    expect(await count(outbox, sql`${outbox.dedupeKey} like 'reminder:AT-BATCH%'`)).toBe(all.length);
  });

  it('skips a consent whose count moved on since it was read, and records nothing for it', async () => {
    // Read when it had 2 reminders; it has 1 now (the first test sent it): the reminder would be wrong.
    const [stale] = await due(['AT-BATCH0001'], 3);
    const tomorrow = { ...stale!, window: '2027-03-04' };
    const done = await remindConsents(deps, clock, deps.now(), [tomorrow]);
    expect(done).toEqual({ sent: 0, escalations: 0, skipped: 1 });
    const [consent] = await database.db
      .select({ n: consents.remindersSent })
      .from(consents)
      .where(eq(consents.transferId, 'AT-BATCH0001'));
    expect(consent?.n).toBe(1);
    expect(
      await count(
        history,
        sql`${history.transferId} = 'AT-BATCH0001' and ${history.action} = 'reminder.consent'`,
      ),
    ).toBe(1);
    expect(
      await count(
        outbox,
        sql`${outbox.dedupeKey} like 'reminder:AT-BATCH0001:consent-transferee:2027-03-04%'`,
      ),
    ).toBe(0);
  });

  it('skips a transfer that is no longer awaiting consent, and escalates the others to the other admins', async () => {
    await database.db.update(transfers).set({ status: 'cancelled' }).where(eq(transfers.id, 'AT-BATCH0002'));
    const batch = (await due(['AT-BATCH0002', 'AT-BATCH0003'], 2)).map((d) => ({
      ...d,
      window: '2027-03-05',
      number: 2,
      escalate: true,
    }));
    const done = await remindConsents(deps, clock, deps.now(), batch);
    expect(done).toEqual({ sent: 1, escalations: 1, skipped: 1 });
    expect(await count(outbox, sql`${outbox.dedupeKey} like 'reminder:AT-BATCH0002:%:2027-03-05%'`)).toBe(0);
    const escalated = await database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.dedupeKey} like 'reminder:AT-BATCH0003:consent-transferee:2027-03-05:escalate:%'`);
    // be.example's admins are alice, bob and paul: bob is the one awaited and alice the requester waiting
    // for him, so only paul hears of it.
    expect(escalated.map((e) => e.recipientUserId)).toEqual([(await actor(database.db, 'paul')).userId]);
    expect(escalated[0]?.payload.text).toMatchObject({
      key: 'reminders:consent.escalation',
      params: { name: 'Bob Peeters', account: 'be.example', accountName: 'Lumière Belgique', number: 2 },
    });
    // The account is named in the language of whoever reads it: full-width brackets in Japanese.
    const text = escalated[0]!.payload.text!;
    expect(tr('ja', text)).toContain('Lumière Belgique（be.example）の他の管理者として');
    expect(tr('en', text)).toContain('As another admin of Lumière Belgique (be.example), please');
    expect(tr('fr', text)).toContain('autre administrateur de Lumière Belgique (be.example), merci');
    const records = await database.db
      .select()
      .from(history)
      .where(eq(history.transferId, 'AT-BATCH0003'))
      .orderBy(history.id);
    expect(records.map((r) => r.action)).toEqual([
      'reminder.consent',
      'reminder.consent',
      'reminder.escalation',
    ]);
  });

  it('does not tell admins still asked themselves to chase one another (every eligible transferor asked)', async () => {
    const carol = (await actor(database.db, 'carol')).userId;
    const paul = (await actor(database.db, 'paul')).userId;
    const alice = (await actor(database.db, 'alice')).userId;
    const requestedAt = new Date(deps.now().getTime() - 9 * D);
    await database.db.insert(transfers).values(awaiting('AT-ASKALL01', bob, requestedAt));
    const asked = await database.db
      .insert(consents)
      .values(
        [carol, paul].map((userId) => ({
          transferId: 'AT-ASKALL01',
          role: 'transferor' as const,
          userId,
          requestedAt,
        })),
      )
      .returning();
    const batch: DueConsent[] = asked.map((c) => ({
      consentId: c.id,
      transferId: c.transferId,
      role: c.role,
      userId: c.userId,
      name: c.userId === carol ? 'Carol Durand' : 'Paul Partner',
      requesterId: bob,
      requestedAt: c.requestedAt,
      escalateTo: sourceId,
      number: 1,
      escalate: true,
      window: '2027-03-06',
    }));
    await remindConsents(deps, clock, deps.now(), batch);
    const escalated = await database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.dedupeKey} like 'reminder:AT-ASKALL01:%:escalate:%'`);
    // fr-a.example's admins are alice, carol and paul; carol and paul are both asked: only alice hears.
    expect([...new Set(escalated.map((e) => e.recipientUserId))]).toEqual([alice]);
    // Once, naming both awaited, and recorded once: what was sent.
    expect(escalated).toHaveLength(1);
    // In the plural, the two named as each language joins a list.
    const text = escalated[0]!.payload.text!;
    expect(tr('en', text)).toMatch(
      /^Escalation: Carol Durand and Paul Partner \(transferors\) have still not answered .* follow up with them\.$/,
    );
    expect(tr('fr', text)).toMatch(
      /^Escalade\u00a0: Carol Durand et Paul Partner \(cédants\) n’ont toujours pas répondu .* merci de relancer ces personnes\.$/,
    );
    expect(tr('ja', text)).toContain('譲渡人（転送元）の Carol Durand さん、Paul Partner さんが、');
    expect(
      await count(
        history,
        sql`${history.transferId} = 'AT-ASKALL01' and ${history.action} = 'reminder.escalation'`,
      ),
    ).toBe(1);
  });

  it('reads every awaited consent with what its reminder needs, in consent order, times to the millisecond', async () => {
    // One reminded a moment with microseconds, which a Date cannot hold: it keeps the milliseconds.
    const [first] = await database.db
      .select({ id: consents.id })
      .from(consents)
      .where(eq(consents.transferId, 'AT-BATCH0000'));
    await database.db.execute(
      sql`update consents set last_reminded_at = '2027-03-02 09:00:00.123987+00', reminders_sent = 2 where id = ${first!.id}`,
    );
    // And one never reminded.
    await database.db.execute(
      sql`update consents set last_reminded_at = null, reminders_sent = 0 where transfer_id = 'AT-BATCH0001'`,
    );
    const awaited = await deps.store.reminders.awaitedConsents('awaiting_consent');
    const expected = await database.db
      .select({
        consent: {
          id: consents.id,
          transferId: consents.transferId,
          role: consents.role,
          userId: consents.userId,
          requestedAt: consents.requestedAt,
          remindersSent: consents.remindersSent,
          lastRemindedAt: consents.lastRemindedAt,
        },
        name: users.name,
        transfer: {
          sourceSmartAccountId: transfers.sourceSmartAccountId,
          destinationSmartAccountId: transfers.destinationSmartAccountId,
          requesterId: transfers.requesterId,
        },
      })
      .from(consents)
      .innerJoin(transfers, eq(transfers.id, consents.transferId))
      .innerJoin(users, eq(users.id, consents.userId))
      .where(and(isNull(consents.decision), eq(transfers.status, 'awaiting_consent')))
      .orderBy(asc(consents.id));
    // Paul, asked as transferor in the test before, is from no legal entity of the source's: he cannot give
    // that consent, and is not reminded of it.
    const paul = (await actor(database.db, 'paul')).userId;
    const mayAnswer = expected.filter((e) => !(e.consent.role === 'transferor' && e.consent.userId === paul));
    expect(mayAnswer.length).toBe(expected.length - 1);
    expect(awaited.length).toBeGreaterThan(CONSENT_BATCH);
    expect(awaited).toEqual(mayAnswer);
    const reminded = awaited.find((a) => a.consent.id === first!.id);
    expect(reminded?.consent.lastRemindedAt).toEqual(new Date('2027-03-02T09:00:00.123Z'));
    expect(reminded?.consent.remindersSent).toBe(2);
    expect(reminded?.name).toBe('Bob Peeters');
    expect(reminded?.transfer.destinationSmartAccountId).toBe(destination);
    const never = awaited.find((a) => a.consent.transferId === 'AT-BATCH0001');
    expect(never?.consent.lastRemindedAt).toBeNull();
  });
});
