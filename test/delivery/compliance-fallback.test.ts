import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/schema.js';
import { consentTransfer } from '../../src/app/actions.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { awaitingConsent } from '../support/transfers.js';
import { actor, seededDatabase, type testDeps } from '../support/world.js';

describe.each(drivers)('compliance cards with no compliance channel configured (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  it('go to each compliance officer directly instead of being lost', async () => {
    const log: Delivery[] = [];
    // Slack knows everyone by e-mail here, but has no compliance channel.
    const slack = new RecordingSender({ platform: 'slack', log, knows: () => true });
    const id = await awaitingConsent(deps, 'SO:100-1');
    const bob = await actor(database.db, 'bob');
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    await drainOutbox(deps, { senders: [slack], random: () => 0 });

    const cora = await actor(database.db, 'cora');
    const complianceCards = log.flatMap((d) =>
      d.kind === 'card' && d.card.decision === 'compliance' ? [d.to.id] : [],
    );
    expect(complianceCards).toEqual([`slack:${cora.email}`]);
    const rows = await database.db.select().from(outbox).where(eq(outbox.recipientChannel, 'compliance'));
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
  });
});
