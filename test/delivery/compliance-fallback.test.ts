import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { importFile } from '../../adapters/cli/commands.js';
import { jobClaims, outbox } from '../../db/schema.js';
import { consentTransfer } from '../../src/app/actions.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { awaitingConsent, historyOf } from '../support/transfers.js';
import { actor, EMAILS, seededDatabase, type testDeps } from '../support/world.js';

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

  it('follow an import that hands compliance over: the former officer’s card closes, the new one gets it', async () => {
    const log: Delivery[] = [];
    // Slack knows everyone but Eve, who is on no chat platform yet.
    const slack = new RecordingSender({ platform: 'slack', log, knows: (user) => user.email !== EMAILS.eve });
    const id = await awaitingConsent(deps, 'SO:100-2');
    expect((await consentTransfer(deps, await actor(database.db, 'bob'), id, 'approve')).ok).toBe(true);
    await drainOutbox(deps, { senders: [slack], random: () => 0 });
    const cora = await actor(database.db, 'cora');
    expect(log.some((d) => d.kind === 'card' && d.to.id === `slack:${cora.email}`)).toBe(true);

    const dir = mkdtempSync(join(inject('testScratch'), 'officers-'));
    const file = join(dir, 'officers.json');
    writeFileSync(
      file,
      JSON.stringify({
        users: [
          { email: EMAILS.cora, name: 'Cora Compliance', globalRoles: [] },
          { email: EMAILS.olga, name: 'Olga Ops', globalRoles: ['licensing_ops', 'compliance'] },
          { email: EMAILS.eve, name: 'Eve Nobody', globalRoles: ['compliance'] },
        ],
      }),
    );
    await importFile(deps, file);
    rmSync(dir, { recursive: true, force: true });
    const before = log.length;
    await drainOutbox(deps, { senders: [slack], random: () => 0 });
    const after = log.slice(before);
    // Cora's copy is redrawn without buttons, saying why; Olga gets the card, open, once.
    const redrawn = after.flatMap((d) => (d.kind === 'update' && d.card.transfer.id === id ? [d.card] : []));
    expect(redrawn.map((card) => [card.open, card.outcome?.cannotAnswer?.key])).toEqual([
      [false, 'core:refusal.noLongerCompliance'],
    ]);
    const posted = after.flatMap((d) => (d.kind === 'card' && d.card.transfer.id === id ? [d] : []));
    expect(posted.map((d) => [d.to.id, d.card.open])).toEqual([[`slack:${EMAILS.olga}`, true]]);
    // Eve, whom no platform reaches yet, is offered it again once one does; nobody is told she was not.
    expect(after.filter((d) => d.kind === 'message' && d.transferId === id)).toEqual([]);
    expect(await historyOf(database.db, id, 'delivery.unreachable')).toEqual([]);
    const eve = await actor(database.db, 'eve');
    const claims = await database.db.select().from(jobClaims);
    expect(claims.map((c) => c.key)).not.toContain(`reachable:compliance:${id}:${eve.userId}`);
  });
});
