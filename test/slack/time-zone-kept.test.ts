import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { userIdentities } from '../../db/schema.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';
import {
  answerTo,
  postSlash,
  requestAndSubmit,
  SLACK,
  text,
  useSlack,
  type SlackHarness,
  type SlackInstance,
} from './harness.js';

const DAY = 24 * 60 * 60 * 1000;

const usersInfoFor = (h: SlackHarness, userId: string) =>
  h.api.calls('users.info').filter((c) => c.args.user === userId).length;

/** A `/transfer` line sent to one instance, and the answer on its response_url (text and blocks). */
async function answered(h: SlackHarness, instance: SlackInstance, userId: string, line: string) {
  const since = h.api.count();
  const responseUrl = await postSlash(h.api, instance, userId, line);
  const answer = await answerTo(h, responseUrl, { since });
  return `${String(answer.args.text)} ${text(answer)}`;
}

describe.each(surfaceDrivers)(
  'a person reads in their Slack time zone, kept in the database (%s)',
  (driver) => {
    const h = useSlack(driver);
    beforeAll(() => {
      // Bob's inventory gives no zone; his Slack is set to Tokyo.
      h.api.addPerson({ ...SLACK.bob, tz: 'Asia/Tokyo' });
    });
    const bobAsked = () => usersInfoFor(h, SLACK.bob.id);
    let id = '';

    it('draws a card and a reply in Tokyo time after a restart, without asking Slack again within the week', async () => {
      // The first card: Slack is asked once before it, and its times are in Tokyo time.
      const { card } = await requestAndSubmit(h);
      expect(text(card)).toContain('GMT+9');
      expect(bobAsked()).toBe(1);

      // The bot restarts: a new process on the same database, that has heard nothing of Bob.
      const restarted = await h.another();
      const since = h.api.count();
      id = await awaitingConsent(h.deps, 'SN:FOC0001');
      await drainOutbox(h.deps, { senders: [restarted.adapter.sender], random: () => 0 });
      const second = await h.api.waitFor(
        'chat.postMessage',
        (c) => c.args.channel === SLACK.bob.id && text(c).includes(id) && text(c).includes('consent_approve'),
        { since },
      );
      expect(text(second)).toContain('GMT+9');
      expect(text(second)).not.toContain(' UTC');

      // Bob looks at it there: its times are in Tokyo time too, and Slack is not asked again.
      const shown = await answered(h, restarted, SLACK.bob.id, `show ${id}`);
      expect(shown).toContain('GMT+9');
      expect(shown).not.toContain(' UTC');
      expect(bobAsked()).toBe(1);
    });

    it('asks Slack again once what is stored is a week old, and reads in the zone it says then', async () => {
      const bob = (await h.deps.store.users.findUser({ email: EMAILS.bob }))!;
      const stored = bob.platformLocales.slack!;
      expect(stored.timeZone).toBe('Asia/Tokyo');
      await h.database.db
        .update(userIdentities)
        .set({ localeAt: new Date(stored.at.getTime() - 8 * DAY) })
        .where(eq(userIdentities.userId, bob.id));
      // Bob has moved to India meanwhile.
      h.api.addPerson({ ...SLACK.bob, tz: 'Asia/Kolkata' });
      const asked = bobAsked();
      const restarted = await h.another();
      const shown = await answered(h, restarted, SLACK.bob.id, `show ${id}`);
      expect(bobAsked()).toBe(asked + 1);
      expect(shown).toContain('GMT+5:30');
      const now = (await h.deps.store.users.findUser({ id: bob.id }))!;
      expect(now.platformLocales.slack?.timeZone).toBe('Asia/Kolkata');
    });
  },
);
