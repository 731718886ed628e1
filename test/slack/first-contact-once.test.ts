import { describe, expect, it } from 'vitest';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { answerTo, buttonIds, SLACK, text, useSlack } from './harness.js';

/**
 * No compliance channel: the screening card goes to each compliance officer. Cora is known by e-mail only:
 * the card's delivery finds her Slack id and links it, which makes her reachable, which offers her the
 * cards that waited for her — among them the one being delivered. She gets it once, even when another
 * worker takes that offer while the first copy is still on its way.
 */
describe.each(surfaceDrivers)('Slack: a card whose delivery first reaches its decider (%s)', (driver) => {
  const h = useSlack(driver, { noComplianceChannel: true });

  const drain = (senders: PlatformSender[] = [h.adapter.sender]) =>
    drainOutbox(h.deps, { senders, random: () => 0 });

  /** The screening cards posted to Cora, as the transfer each is about. */
  const screeningCards = () =>
    h.api
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === SLACK.cora.id && buttonIds(c).includes('compliance_approve'))
      .map((c) => /AT-[A-Z0-9]{8}/.exec(text(c))?.[0]);

  it('posts the screening card to the officer once, though her first contact offered it too', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-1');
    await drain();
    const since = h.api.count();
    const consented = await h.slash(SLACK.bob.id, `consent ${id} approve`);
    await answerTo(h, consented.responseUrl, { since });
    expect(await h.status(id)).toBe('compliance_screening');

    // Another worker (another lane, another instance) takes whatever is due while Cora's copy is on its way.
    let other: Promise<unknown> | undefined;
    const sender = h.adapter.sender;
    const racing: PlatformSender = {
      ...sender,
      async sendCard(to, card) {
        if (to.id === SLACK.cora.id && !other) {
          other = drain();
          await other;
        }
        return sender.sendCard(to, card);
      },
    };
    await drain([racing]);
    expect(other).toBeDefined();
    // Whatever was put off meanwhile comes due and is looked at again.
    for (let i = 0; i < 3; i++) {
      h.deps.advance(60_000);
      await drain();
    }
    expect(screeningCards()).toEqual([id]);

    // Her own first message (already linked) sends nothing more.
    await h.slash(SLACK.cora.id, 'help');
    await drain();
    expect(screeningCards()).toEqual([id]);
  });
});
