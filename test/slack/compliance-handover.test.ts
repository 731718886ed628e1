import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import {
  answerTo,
  buttonIds,
  cardClick,
  deliverCard,
  requestAndSubmit,
  SLACK,
  text,
  useSlack,
  where,
} from './harness.js';

/**
 * With no compliance channel, each compliance officer gets the screening card directly. A bot admin hands
 * compliance over while a transfer waits in screening: the officer who lost the role sees their card lose
 * its buttons, and a click on it is told they are no longer a compliance officer (not that the transaction
 * does not exist); the new officer gets the card of the screening already waiting, and can decide it.
 * Someone who never had the card learns nothing of the transfer.
 */
describe.each(surfaceDrivers)('Slack: compliance handed over during a screening (%s)', (driver) => {
  const h = useSlack(driver, { noComplianceChannel: true });

  const typed = async (userId: string, line: string) => {
    const since = h.api.count();
    const said = await h.slash(userId, line);
    return String((await answerTo(h, said.responseUrl, { since })).args.text);
  };

  it('closes the former officer’s card, says why on a click, and brings the new officer the card', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:104-1');
    const consented = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', where(card)));
    await h.api.waitFor('chat.update', (c) => c.args.ts === where(card).ts, { since: consented });
    // No compliance channel: Cora, the one compliance officer, has the card herself.
    const coraCard = where(await deliverCard(h, SLACK.cora.id, id, 'compliance_approve', consented));
    // Eve, who is nobody here, learns nothing of the transfer.
    expect(await typed(SLACK.eve.id, `screen ${id} approve`)).toBe(
      `Transaction ${id} was not found, or you are not allowed to see it.`,
    );

    const handed = h.api.count();
    await typed(SLACK.ada.id, 'revoke cora@compliance.example compliance');
    await typed(SLACK.ada.id, 'grant eve@nowhere.example compliance');
    await h.deliver();
    // Cora's card, in her language, has no buttons any more, and says why.
    const closed = await h.api.waitFor('chat.update', (c) => c.args.ts === coraCard.ts, { since: handed });
    expect(buttonIds(closed)).not.toContain('compliance_approve');
    expect(text(closed)).toContain('コンプライアンス担当者ではなくなったため');
    // Eve gets the card of the screening already waiting, once.
    const eveCard = await h.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === SLACK.eve.id && text(c).includes(id),
      { since: handed },
    );
    expect(buttonIds(eveCard)).toContain('compliance_approve');
    await h.deliver();
    expect(
      h.api
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === SLACK.eve.id && text(c).includes('compliance_approve')),
    ).toHaveLength(1);
    expect((await h.history(id, 'delivery.officer')).map((r) => r.details?.['recipient'])).toEqual([
      'Eve Nobody <eve@nowhere.example>',
    ]);

    // Cora's click on the card as it was drawn before: told she is no longer a compliance officer.
    for (const button of ['compliance_approve', 'compliance_reject']) {
      const clicked = h.api.count();
      await h.interact(cardClick(SLACK.cora.id, button, id, 'compliance', coraCard));
      const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.cora.id, {
        since: clicked,
      });
      expect(String(told.args.text)).toBe(
        `コンプライアンス担当者ではなくなったため、トランザクション ${id} のコンプライアンス審査はできません。`,
      );
      const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === coraCard.ts, {
        since: clicked,
      });
      expect(buttonIds(redrawn)).not.toContain('compliance_approve');
    }
    expect(await h.status(id)).toBe('compliance_screening');

    // Eve decides from her card.
    const decided = h.api.count();
    await h.interact(cardClick(SLACK.eve.id, 'compliance_approve', id, 'compliance', where(eveCard)));
    await h.api.waitFor('chat.update', (c) => c.args.ts === where(eveCard).ts, { since: decided });
    expect(await h.status(id)).toBe('transfer_completed');
  });
});
