import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { devices, licenses } from '../../db/schema.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { COMPLIANCE_CONVERSATION, teamsUser, useTeamsWorld } from '../support/teams.js';
import { historyOf, statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'fr-FR');
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);
/** Licensing operations, reading Japanese. */
const olga = teamsUser('olga', 'Olga Ops', EMAILS.olga, 'ja-JP');

type Answer = { type: string; value: AdaptiveCardJson };

/** The card an update of a posted activity drew. */
const updatedCard = (update: { body: unknown }) =>
  (update.body as { attachments: { content: AdaptiveCardJson }[] }).attachments[0]!.content;

/**
 * Licensing operations retry a transfer's failed items from a Teams card. Retry clicked twice is the same
 * retry: both invokes are answered as the first was, with no second pass and no refused attempt on record.
 * Once a retry completes the transfer, the consent and compliance cards already posted are redrawn.
 */
describe.each(surfaceDrivers)('Teams: Retry clicked twice (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice, bob, cora, olga]);
  const deliver = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });

  it('answers both clicks as the first retry did, and redraws the decision cards once it completes', async () => {
    const { teams, connector, database } = world;
    await teams.install(bob);
    await teams.message(
      alice,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:105-1,SN:FOC0001 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    const created = cardText(connector.cards(alice.chat).at(-1)!.card);
    const id = /Transaction (AT-[0-9A-Z]{8}) created/.exec(created)?.[1] ?? '';
    await teams.execute(alice, 'transfer_submit', { transactionId: id });
    await deliver();
    await teams.execute(bob, 'consent_approve', { transactionId: id, decision: 'consent:transferee' });
    await deliver();
    // Both items change before compliance approves, so both fail.
    await database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '105'));
    await database.db
      .update(devices)
      .set({ registration: 'ssm_onprem' })
      .where(eq(devices.serialNumber, 'FOC0001'));
    await teams.execute(cora, 'compliance_approve', { transactionId: id, decision: 'compliance' });
    await deliver();
    expect(await statusOf(database.db, id)).toBe('transfer_completed_with_failure');

    // The license is fixed; Olga clicks Retry on the transfer card twice in quick succession.
    await database.db.update(licenses).set({ pendingUpgrade: false }).where(eq(licenses.salesOrder, '105'));
    await teams.message(olga, `show ${id}`);
    const retry = executeActions(connector.cards(olga.chat).at(-1)!.card).find(
      (a) => a.verb === 'transfer_retry',
    )!;
    const twice = async () =>
      (await Promise.all([1, 2].map(() => teams.execute(olga, 'transfer_retry', retry.data)))).map((r) =>
        cardText((r.body as Answer).value),
      );
    const partly = await twice();
    // The same card for both: no "0 of 1 moved" from a second pass replaces the first answer.
    expect(partly[1]).toBe(partly[0]);
    expect(partly[0]).not.toContain('1件のうち0件');
    for (const answer of partly) {
      expect(answer).toContain('失敗したアイテム2件のうち1件を転送しました。1件は引き続き失敗しています。');
      expect(answer).toContain('引き続き失敗：SN:FOC0001：');
    }
    expect(await historyOf(database.db, id, 'retry')).toHaveLength(1);
    // The cards posted show the license moved (one redraw for the one retry).
    const redraws = () => ({
      compliance: connector.updates(COMPLIANCE_CONVERSATION).length,
      consent: connector.updates(bob.chat).length,
    });
    let before = redraws();
    await deliver();
    expect(redraws()).toEqual({ compliance: before.compliance + 1, consent: before.consent + 1 });

    // The device is fixed too: the retry that completes the transfer, clicked twice.
    await database.db
      .update(devices)
      .set({ registration: 'direct' })
      .where(eq(devices.serialNumber, 'FOC0001'));
    const completed = await twice();
    expect(completed[1]).toBe(completed[0]);
    expect(completed[0]).toContain('「転送完了」。失敗したアイテム1件のうち1件を転送しました。');
    expect(completed[0]).not.toContain('この操作');
    expect(await statusOf(database.db, id)).toBe('transfer_completed');
    expect(await historyOf(database.db, id, 'retry')).toHaveLength(2);
    expect(await historyOf(database.db, id, 'refused.retry')).toEqual([]);

    // Every decision card already posted shows the transfer as it is now.
    before = redraws();
    await deliver();
    const compliance = connector.updates(COMPLIANCE_CONVERSATION);
    expect(compliance.length).toBe(before.compliance + 1);
    expect(cardText(updatedCard(compliance.at(-1)!))).toContain('Transfer Completed');
    expect(cardText(updatedCard(compliance.at(-1)!))).not.toContain('with Failure');
    const consent = connector.updates(bob.chat);
    expect(consent.length).toBe(before.consent + 1);
    expect(cardText(updatedCard(consent.at(-1)!))).toContain('Transfert terminé');
    expect(cardText(updatedCard(consent.at(-1)!))).not.toContain('avec échec');
  });
});
