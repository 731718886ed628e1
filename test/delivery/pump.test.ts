import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboxPump } from '../../src/delivery/pump.js';
import { msg, type CatalogKey } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { RecordingSender } from '../support/recording-sender.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

/**
 * A burst of commits kicks the pump once each: the kicks are gathered into a few drains (each drain
 * ends by finding nothing more due), and every message still goes out.
 */
describe('the outbox pump (pglite)', () => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    deps = testDeps(database.db, new Date('2026-11-23T09:00:00Z'));
  });
  afterAll(() => database.dispose());

  it('delivers a burst of twenty kicked messages in a few drains, not one each', async () => {
    let claims = 0;
    const outbox = deps.store.outbox;
    const counted = {
      ...deps,
      store: {
        ...deps.store,
        outbox: {
          ...outbox,
          claimDue: (...args: Parameters<typeof outbox.claimDue>) => {
            claims += 1;
            return outbox.claimDue(...args);
          },
        },
      },
    };
    const sender = new RecordingSender({ platform: 'console' });
    const alice = (await actor(database.db, 'alice')).userId;
    // No interval to speak of: only the start and the kicks deliver; kicks two seconds apart at least,
    // longer than the burst takes to write even on a busy machine.
    const pump = startOutboxPump(counted, { senders: [sender] }, 3_600_000, 2_000);
    try {
      await eventually(() => claims >= 1);
      const before = claims;
      for (let i = 0; i < 20; i++) {
        await outbox.enqueue(deps.now(), [
          {
            dedupeKey: `burst:${i}`,
            recipientUserId: alice,
            payload: { type: 'message', text: msg('test:burst' as CatalogKey, { i }) },
          },
        ]);
        pump.kick();
      }
      const burst = () =>
        sender.log.filter((d) => d.kind === 'message' && (d.text.key as string) === 'test:burst');
      await eventually(() => burst().length === 20);
      expect(burst().map((d) => (d.kind === 'message' ? d.text.params?.['i'] : undefined))).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
      // One drain: the claim that takes all twenty, and the one that finds nothing more.
      expect(claims - before).toBeLessThanOrEqual(3);
    } finally {
      await pump.stop();
    }
  });
});
