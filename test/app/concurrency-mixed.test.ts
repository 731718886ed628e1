import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { consents, outbox } from '../../db/schema.js';
import { consentTransfer, expireTransfer } from '../../src/app/actions.js';
import type { Actor } from '../../src/domain/types.js';
import { racers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { actor, seededDatabase, type Name, type testDeps } from '../support/world.js';

/**
 * Different decisions on one transfer at the same moment (concurrency.test.ts races identical ones):
 * the compare-and-set on status *and* version must make the second decision see the first.
 */
const DAY = 24 * 3600 * 1000;
const ROUNDS = 4;

describe.each(racers)('different decisions at once, $driver: $race', ({ driver }) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let alice: Actor;
  let bob: Actor;
  let nextLicense = 0;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver, 4 * ROUNDS));
    [alice, bob] = await Promise.all([actor(database.db, 'alice'), actor(database.db, 'bob')]);
  });
  afterAll(() => database.dispose());

  const awaitingConsentFrom = (requester: Name) =>
    awaitingConsent(deps, `SO:900-${++nextLicense}`, { requester });

  it('transferee and transferor approving at once: both recorded, compliance asked exactly once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await awaitingConsentFrom('paul');
      // Alice answers for the source's own company (Carol was asked too: the first answer counts).
      const results = await Promise.all([
        consentTransfer(deps, bob, id, 'approve'),
        consentTransfer(deps, alice, id, 'approve'),
      ]);

      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(await statusOf(database.db, id)).toBe('compliance_screening');
      const given = await database.db.select().from(consents).where(eq(consents.transferId, id));
      expect(given.map((c) => [c.role, c.decision, c.decidedById]).sort()).toEqual([
        ['transferee', 'approved', bob.userId],
        ['transferor', 'approved', alice.userId],
        ['transferor', 'approved', alice.userId],
      ]);
      const rows = await historyOf(database.db, id);
      expect(rows.filter((h) => h.action === 'consent.approve').length).toBe(2);
      expect(rows.filter((h) => h.toStatus === 'compliance_screening').length).toBe(1);
      const cards = await database.db
        .select()
        .from(outbox)
        .where(like(outbox.dedupeKey, `${id}:%:card:compliance`));
      expect(cards.length).toBe(1);
    }
  });

  it('two transferors asked for one consent answering at once: the first counts, the other is told who', async () => {
    const carol = await actor(database.db, 'carol');
    for (let round = 0; round < ROUNDS; round++) {
      const id = await awaitingConsentFrom('paul');
      const [byAlice, byCarol] = await Promise.all([
        consentTransfer(deps, alice, id, 'approve'),
        consentTransfer(deps, carol, id, 'reject', 'Not agreed with finance'),
      ]);
      expect([byAlice.ok, byCarol.ok].filter(Boolean).length).toBe(1);
      const [winner, loser] = byAlice.ok ? [alice, byCarol] : [carol, byAlice];
      expect(!loser.ok && loser.refusal.message).toMatchObject({
        key: 'core:refusal.alreadyDecided',
        params: { by: winner.name },
      });
      const given = await database.db.select().from(consents).where(eq(consents.transferId, id));
      const transferors = given.filter((c) => c.role === 'transferor');
      expect(transferors.map((c) => c.decidedById)).toEqual([winner.userId, winner.userId]);
      const rows = await historyOf(database.db, id);
      expect(rows.filter((h) => h.action.startsWith('consent.')).length).toBe(1);
      expect(await statusOf(database.db, id)).toBe(byAlice.ok ? 'awaiting_consent' : 'cancelled');
    }
  });

  it('a consent and its expiry at once: exactly one of them happens, the other is told the status', async () => {
    const longAgo = new Date(deps.now().getTime() - 31 * DAY);
    for (let round = 0; round < ROUNDS; round++) {
      const id = await awaitingConsentFrom('alice');
      const [consent, expiry] = await Promise.all([
        consentTransfer(deps, bob, id, 'approve'),
        expireTransfer(deps, id, longAgo),
      ]);

      expect([consent.ok, expiry.ok].filter(Boolean).length).toBe(1);
      const loser = consent.ok ? expiry : consent;
      // Told the status, and who moved it on and when: Bob by consenting, or the bot by expiring it.
      expect(!loser.ok && loser.refusal.message).toMatchObject({
        key: consent.ok ? 'core:refusal.movedOnBy' : 'core:refusal.movedOn',
        params: { reasonKey: 'core:refusal.wrongStatus', from: 'awaiting_consent' },
      });
      const status = await statusOf(database.db, id);
      expect(status).toBe(consent.ok ? 'compliance_screening' : 'cancelled');
      const rows = await historyOf(database.db, id);
      const decided = rows.filter((h) => h.action === 'consent.approve' || h.action === 'expire');
      expect(decided.map((h) => h.toStatus)).toEqual([status]);
      const [given] = await database.db.select().from(consents).where(eq(consents.transferId, id));
      expect(given?.decision ?? null).toBe(consent.ok ? 'approved' : null);
      // The bot's own expiry coming too late is no attempt of anyone's: nothing refused on record for it.
      expect(rows.filter((h) => h.action === 'refused.expire')).toEqual([]);
    }
  });

  it('two instances expiring one transfer at once: one cancellation, and no refused attempt on record', async () => {
    const longAgo = new Date(deps.now().getTime() - 31 * DAY);
    for (let round = 0; round < ROUNDS; round++) {
      const id = await awaitingConsentFrom('alice');
      const results = await Promise.all([
        expireTransfer(deps, id, longAgo),
        expireTransfer(deps, id, longAgo),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const rows = await historyOf(database.db, id);
      expect(rows.filter((h) => h.action === 'expire').map((h) => h.toStatus)).toEqual(['cancelled']);
      expect(rows.filter((h) => h.action.startsWith('refused.'))).toEqual([]);
    }
  });
});
