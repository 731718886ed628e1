import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { devices, licenses } from '../../db/schema.js';
import { surfaceDrivers } from '../support/db.js';
import type { RecordedCall } from '../support/slack-api.js';
import {
  cardClick,
  click,
  COMPLIANCE,
  deliverCard,
  requestAndSubmit,
  SLACK,
  text,
  where,
  useSlack,
} from './harness.js';

/** Olga, licensing operations, reads English; Slack finds her by e-mail. */
const OLGA = { id: 'UOLGA', email: 'olga@ops.example', locale: 'en-US', tz: 'UTC' };

/**
 * Licensing operations retry a transfer's failed items from Slack. A Retry clicked twice (a double click,
 * or Slack sending the click again) is the same retry: both clicks are answered as the first was, the
 * second runs no pass of its own and writes no refused attempt. A retry that completes the transfer
 * redraws the decision cards already posted, as the decision itself did.
 */
describe.each(surfaceDrivers)('Slack: Retry clicked twice (%s)', (driver) => {
  const h = useSlack(driver);

  /** Both answers a message got for two clicks on it since `since`, as the clicker reads them. */
  async function twoAnswers(ts: string, since: number): Promise<RecordedCall[]> {
    const first = await h.api.waitFor('chat.update', (c) => c.args.ts === ts, { since });
    const second = await h.api.waitFor('chat.update', (c) => c.args.ts === ts, {
      since: h.api.calls().indexOf(first) + 1,
    });
    return [first, second];
  }

  it('answers both clicks as the first retry did, and redraws the compliance card once it completes', async () => {
    h.api.addPerson(OLGA);
    // To Belgium: consented by Bob, then both items change before compliance approves, so both fail.
    const { id, card } = await requestAndSubmit(h, 'SO:105-1,SN:FOC0001');
    const bobCard = where(card);
    let since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since });
    const compliance = where(await deliverCard(h, COMPLIANCE, id, 'compliance_approve'));
    await h.database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '105'));
    await h.database.db
      .update(devices)
      .set({ registration: 'ssm_onprem' })
      .where(eq(devices.serialNumber, 'FOC0001'));
    since = h.api.count();
    await h.interact(cardClick(SLACK.cora.id, 'compliance_approve', id, 'compliance', compliance));
    await h.api.waitFor('chat.update', (c) => c.args.ts === compliance.ts, { since });
    expect(await h.status(id)).toBe('transfer_completed_with_failure');
    await h.deliver();

    // The license is fixed; Olga double-clicks Retry on a message showing the transfer.
    await h.database.db.update(licenses).set({ pendingUpgrade: false }).where(eq(licenses.salesOrder, '105'));
    const message = { channel: 'DUOLGA', ts: '1700000042.000100' };
    const retry = () => h.interact(click(OLGA.id, { action_id: 'transfer_retry', value: id }, message));
    since = h.api.count();
    await Promise.all([retry(), retry()]);
    for (const answer of await twoAnswers(message.ts, since)) {
      expect(String(answer.args.text)).toBe(
        `Transaction ${id}: “Transfer Completed with Failure”. 1 of 2 failed items moved; 1 still failing.`,
      );
      expect(text(answer)).toContain('Still failing: SN:FOC0001: registered to SSM On-Prem');
    }
    expect(await h.history(id, 'retry')).toHaveLength(1);

    // The device is fixed too: the retry that completes the transfer, clicked twice.
    await h.database.db
      .update(devices)
      .set({ registration: 'direct' })
      .where(eq(devices.serialNumber, 'FOC0001'));
    since = h.api.count();
    await Promise.all([retry(), retry()]);
    for (const answer of await twoAnswers(message.ts, since)) {
      expect(String(answer.args.text)).toContain(
        `Transaction ${id}: “Transfer Completed”. 1 of 1 failed item moved`,
      );
      expect(text(answer)).not.toContain('cannot retry');
    }
    expect(await h.status(id)).toBe('transfer_completed');
    expect(await h.history(id, 'retry')).toHaveLength(2);
    expect(await h.history(id, 'refused.retry')).toEqual([]);

    // The compliance channel's card shows the transfer as it is now, not as the decision left it.
    since = h.api.count();
    await h.deliver();
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === compliance.ts, { since });
    expect(text(redrawn)).toContain('Status: *Transfer Completed*');
    expect(text(redrawn)).not.toContain('with Failure');
    expect(text(redrawn)).not.toContain('_Failed_');
  });
});
