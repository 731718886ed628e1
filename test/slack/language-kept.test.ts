import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { userTarget } from '../../src/delivery/targets.js';
import { translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import { EMAILS } from '../support/world.js';
import {
  cardClick,
  COMPLIANCE,
  deliverCard,
  requestAndSubmit,
  SLACK,
  text,
  where,
  useSlack,
  type SlackInstance,
} from './harness.js';

describe.each(surfaceDrivers)(
  'a person reads in their Slack language, kept in the database (%s)',
  (driver) => {
    const h = useSlack(driver);
    let second: SlackInstance;
    beforeAll(async () => {
      // Bob's inventory says Japanese; his Slack says en-US.
      await h.database.db.update(users).set({ locale: 'ja' }).where(eq(users.email, EMAILS.bob));
      second = await h.another();
    });

    const english = (what: string) => {
      expect(what).toContain(translate('en', 'common:field.items'));
      expect(what).not.toContain(translate('ja', 'common:field.items'));
    };
    const bobAsked = () => h.api.calls('users.info').filter((c) => c.args.user === SLACK.bob.id).length;

    it('sends the consent card, its redraw after the click and the later messages in English, on every instance', async () => {
      // The first card: Slack is asked once before it, though the inventory has a language.
      const { id, card } = await requestAndSubmit(h);
      expect(String(card.args.text)).toContain(translate('en', 'slack:card.consentTitle', { id }));
      english(text(card));
      expect(bobAsked()).toBe(1);
      const bob = await h.deps.store.users.findUser({ email: EMAILS.bob });
      expect(bob?.platformLocales.slack?.locale).toBe('en-US');

      // Bob approves on the other instance: the card is redrawn there, in English.
      const approved = h.api.count();
      const deliver = (instance: { adapter: SlackInstance['adapter'] }) =>
        drainOutbox(h.deps, { senders: [instance.adapter.sender], random: () => 0 });
      await second.post(
        new URLSearchParams({
          payload: JSON.stringify({
            team: { id: 'T1' },
            ...cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', where(card)),
          }),
        }).toString(),
        'application/x-www-form-urlencoded',
      );
      await second.adapter.settled();
      await deliver(second);
      const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === where(card).ts, {
        since: approved,
      });
      expect(String(redrawn.args.text)).toContain(translate('en', 'slack:card.consentTitle', { id }));
      english(text(redrawn));

      // Compliance approves; the status message Bob gets, drawn by the other instance, is in English.
      const complianceCard = await deliverCard(h, COMPLIANCE, id, 'compliance_approve', approved);
      const decided = h.api.count();
      await h.interact(
        cardClick(SLACK.cora.id, 'compliance_approve', id, 'compliance', where(complianceCard)),
      );
      await h.adapter.settled();
      await deliver(second);
      const told = await h.api.waitFor(
        'chat.postMessage',
        (c) => c.args.channel === SLACK.bob.id && String(c.args.text).includes(id),
        { since: decided },
      );
      expect(told.args.text).toBe(
        translate('en', 'core:notify.statusChanged', { id, status: 'transfer_initiated' }),
      );

      // A new process reads the stored language without asking Slack again.
      const third = await h.another();
      const asked = bobAsked();
      const target = await userTarget(
        [third.adapter.sender],
        (await h.deps.store.users.findUser({ email: EMAILS.bob }))!,
        'UTC',
      );
      expect(target?.address.reader.locale).toBe('en');
      expect(bobAsked()).toBe(asked);
    });
  },
);
