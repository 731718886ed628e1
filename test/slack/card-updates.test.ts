import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import {
  buttonIds,
  cardClick,
  COMPLIANCE,
  requestAndSubmit,
  SLACK,
  text,
  where,
  useSlack,
} from './harness.js';

describe.each(surfaceDrivers)('each decision card is redrawn once (%s)', (driver) => {
  const h = useSlack(driver);

  const updatesOf = (ts: string, since: number) =>
    h.api
      .calls()
      .slice(since)
      .filter((c) => c.method === 'chat.update' && c.args.ts === ts);

  it('the card clicked is redrawn by the click, and not a second time when the outbox refreshes the copies', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:100-1');
    const bobCard = where(card);
    const since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since });
    expect(buttonIds(redrawn)).not.toContain('consent_approve');
    // Everything the decision queued is delivered: the compliance card, the requester's message, the refresh.
    const delivered = await h.deliver();
    expect(delivered.sent).toBeGreaterThan(0);
    expect(updatesOf(bobCard.ts, since)).toHaveLength(1);
    const complianceCards = h.api
      .calls('chat.postMessage')
      .filter(
        (c) =>
          h.api.calls().indexOf(c) >= since &&
          c.args.channel === COMPLIANCE &&
          text(c).includes('compliance_approve') &&
          text(c).includes(id),
      );
    expect(complianceCards).toHaveLength(1);
    expect(await h.status(id)).toBe('compliance_screening');
  });

  it('decided without a click on the card (a one-line consent), the card is redrawn by the refresh, once', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:103-1');
    const bobCard = where(card);
    const since = h.api.count();
    await h.slash(SLACK.bob.id, `consent ${id} approve`);
    await h.api.waitFor('response_url', (c) => String(c.args.text).includes(id), { since });
    expect(updatesOf(bobCard.ts, since)).toHaveLength(0);
    await h.deliver();
    const updates = updatesOf(bobCard.ts, since);
    expect(updates).toHaveLength(1);
    expect(buttonIds(updates[0]!)).not.toContain('consent_approve');
    expect(await h.status(id)).toBe('compliance_screening');
  });
});
