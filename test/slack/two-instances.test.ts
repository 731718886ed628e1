import { beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { drivers } from '../support/db.js';
import {
  answerTo,
  cardClick,
  COMPLIANCE,
  ONE_LINE,
  SLACK,
  text,
  where,
  useSlack,
  postSlash,
  type SlackHarness,
  type SlackInstance,
} from './harness.js';

/** A signed `/transfer` line sent to one instance; the answer comes on its response_url. */
const slashTo = (h: SlackHarness, instance: Pick<SlackHarness, 'post'>, userId: string, line: string) =>
  postSlash(h.api, instance, userId, line);

const answersTo = (h: SlackHarness, responseUrl: string) =>
  h.api.calls('response_url').filter((c) => c.args.path === new URL(responseUrl).pathname);

describe.each(drivers)(
  'two bot instances on one database, Slack requests spread over both (%s)',
  (driver) => {
    const h = useSlack(driver);
    let second: SlackInstance;
    beforeAll(async () => {
      second = await h.another();
    });

    it('answers every command once, and delivers every card once with both outbox workers running', async () => {
      const instances = [h, second];
      const since = h.api.count();
      const created = await slashTo(
        h,
        second,
        SLACK.alice.id,
        ONE_LINE.replace('SO:100-1,SN:FOC0002', 'SO:105-1'),
      );
      const id = /AT-[0-9A-Z]{8}/.exec(String((await answerTo(h, created, { since })).args.text))?.[0];
      expect(id).toBeDefined();
      const submitted = await slashTo(h, h, SLACK.alice.id, `submit ${id}`);
      await answerTo(h, submitted, { since });

      // Ten commands from three people, alternating between the instances.
      const people = [SLACK.alice.id, SLACK.bob.id, SLACK.carol.id];
      const urls = await Promise.all(
        Array.from({ length: 10 }, (_, n) => slashTo(h, instances[n % 2]!, people[n % 3]!, `show ${id}`)),
      );
      for (const url of urls) await answerTo(h, url, { since, timeoutMs: 10_000 });

      // Both instances' delivery workers at once: Bob's consent card is posted once.
      const deliver = (instance: { adapter: SlackHarness['adapter'] }) =>
        drainOutbox(h.deps, { senders: [instance.adapter.sender], random: () => 0 });
      await Promise.all([deliver(h), deliver(second), deliver(h), deliver(second)]);
      const cards = h.api
        .calls('chat.postMessage')
        .filter(
          (c) =>
            c.args.channel === SLACK.bob.id && text(c).includes(id!) && text(c).includes('consent_approve'),
        );
      expect(cards).toHaveLength(1);

      // Bob approves on one instance; the compliance card, delivered by both workers, is posted once.
      await second.post(
        new URLSearchParams({
          payload: JSON.stringify({
            team: { id: 'T1' },
            ...cardClick(SLACK.bob.id, 'consent_approve', id!, 'consent:transferee', where(cards[0]!)),
          }),
        }).toString(),
        'application/x-www-form-urlencoded',
      );
      await h.api.waitFor('chat.update', (c) => c.args.ts === where(cards[0]!).ts, { since });
      await Promise.all([h.adapter.settled(), second.adapter.settled()]);
      await Promise.all([deliver(h), deliver(second), deliver(h), deliver(second)]);
      const compliance = h.api
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === COMPLIANCE && text(c).includes(id!));
      expect(compliance).toHaveLength(1);

      for (const url of [created, submitted, ...urls]) expect(answersTo(h, url)).toHaveLength(1);
      expect(await h.history(id!, 'consent.approve')).toHaveLength(1);
    });
  },
);
