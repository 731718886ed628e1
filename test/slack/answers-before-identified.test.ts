import { beforeAll, describe, expect, it } from 'vitest';
import { supportFooter } from '../../src/app/guides.js';
import type { UserKey } from '../../src/app/ports/users.js';
import { translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import { EMAILS } from '../support/world.js';
import {
  answerTo,
  postSlash,
  SLACK,
  startInstance,
  text,
  useSlack,
  type SlackHarness,
  type SlackInstance,
} from './harness.js';

/** A `/transfer` line sent to one instance, and the answer on its response_url (text and blocks). */
async function answered(h: SlackHarness, instance: SlackInstance, userId: string, line: string) {
  const since = h.api.count();
  const responseUrl = await postSlash(h.api, instance, userId, line);
  const answer = await answerTo(h, responseUrl, { since });
  return `${String(answer.args.text)} ${text(answer)}`;
}

/** A `/transfer` line sent to one instance, as Slack sends it: the HTTP answer is the ack. */
function slashTo(h: SlackHarness, instance: SlackInstance, userId: string, line: string) {
  const body = new URLSearchParams({
    command: '/transfer',
    text: line,
    user_id: userId,
    team_id: 'T1',
    channel_id: 'CGENERAL',
    trigger_id: `trigger-${userId}-${h.api.count()}`,
    response_url: h.api.responseUrl(),
  }).toString();
  return instance.post(body, 'application/x-www-form-urlencoded');
}

describe.each(surfaceDrivers)(
  'answers given before a Slack person is identified, in their stored language (%s)',
  (driver) => {
    const h = useSlack(driver);
    beforeAll(async () => {
      // Bob's inventory says English; his Slack says Japanese, stored once he has used the bot.
      h.api.addPerson({ ...SLACK.bob, locale: 'ja-JP' });
      const { responseUrl } = await h.slash(SLACK.bob.id, 'help');
      await answerTo(h, responseUrl);
      const bob = await h.deps.store.users.findUser({ email: EMAILS.bob });
      expect(bob?.platformLocales.slack?.locale).toBe('ja-JP');
    });

    it('tells him the bot is busy in Japanese after a restart', async () => {
      const restarted = await h.another({ commandQueue: { concurrency: 1, backlog: 1 } });
      // Eve's first contact needs a slow users.info: her command holds the only place in the backlog.
      const release = h.api.hold('users.info');
      try {
        const held = await slashTo(h, restarted, SLACK.eve.id, 'list');
        expect(held.status).toBe(200);
        const res = await slashTo(h, restarted, SLACK.bob.id, 'list');
        expect(res.status).toBe(200);
        expect(((await res.json()) as { text?: string }).text).toBe(translate('ja', 'slack:error.busy'));
      } finally {
        release();
      }
      await restarted.adapter.settled();
    });

    it('refuses what he typed in Japanese after a restart, in the ack itself', async () => {
      const restarted = await h.another();
      const res = await slashTo(h, restarted, SLACK.bob.id, 'new justification:"a\u0000b"');
      expect(await res.json()).toEqual({
        response_type: 'ephemeral',
        text: translate('ja', 'input:error.character', { character: 'U+0000' }),
      });
    });

    it('tells him of a failure in Japanese after a restart, while Slack does not say his language', async () => {
      // A new process whose first read of Bob fails (the database dropped the connection), while Slack
      // fails to answer users.info.
      let failed = false;
      const users = h.deps.store.users;
      const failingOnce = {
        ...h.deps,
        store: {
          ...h.deps.store,
          users: {
            ...users,
            findUser(key: UserKey) {
              if ('identity' in key && key.identity.externalId === SLACK.bob.id && !failed) {
                failed = true;
                return Promise.reject(new Error('connection terminated unexpectedly'));
              }
              return users.findUser(key);
            },
          },
        },
      };
      h.api.failNext('users.info', { error: 'fatal_error' }, 3);
      const restarted = await startInstance(failingOnce, h.database, h.api);
      try {
        const asked = h.api.calls('users.info').length;
        const shown = await answered(h, restarted, SLACK.bob.id, 'list');
        expect(failed).toBe(true);
        expect(shown).toContain(
          `${translate('ja', 'core:failure.nothingChanged')}\n${supportFooter('ja', undefined)}`,
        );
        // What is stored is fresh: Slack is not asked, neither to identify him nor for the failure.
        expect(h.api.calls('users.info')).toHaveLength(asked);
      } finally {
        h.api.clearFailures();
        await restarted.close(0);
      }
    });
  },
);
