import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, surfaceDrivers } from '../support/db.js';
import { defaultBodyLimit } from '@slack/bolt';
import { eventually } from '../support/eventually.js';
import { translate } from '../../src/i18n/index.js';
import { answerTo, click, SLACK, startSlack, useSlack, type SlackHarness } from './harness.js';

describe.each(surfaceDrivers)('Slack requests are authenticated (%s)', (driver) => {
  const h = useSlack(driver);

  const helpBody = (responseUrl: string) =>
    new URLSearchParams({
      command: '/transfer',
      text: 'help',
      user_id: SLACK.alice.id,
      trigger_id: 'trigger-x',
      response_url: responseUrl,
      team_id: 'T1',
    }).toString();

  it('answers a correctly signed slash command and replies through response_url', async () => {
    const { res, responseUrl } = await h.slash(SLACK.alice.id, 'help');
    expect(res.status).toBe(200);
    const reply = await answerTo(h, responseUrl);
    expect(reply.args.response_type).toBe('ephemeral');
    // Alice's Slack is in French: the help speaks French and lists the commands.
    expect(reply.args.text).toMatch(/^Voici ce que vous pouvez me demander/);
    expect(JSON.stringify(reply.args.blocks)).toContain('/transfer consent ID approve|reject');
  });

  it('acknowledges at once a click on a button it has no use for, and does nothing', async () => {
    // A link button, say: Slack still sends the click, and shows an error if nobody answers it.
    const before = h.api.count();
    const started = Date.now();
    const res = await h.interact(
      click(SLACK.alice.id, { action_id: 'open_portal_link' }, { channel: 'D1', ts: '1.1' }),
    );
    expect(res.status).toBe(200);
    // Within Slack's three seconds, and with room to spare on a busy machine.
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.api.calls().slice(before)).toEqual([]);
  });

  it('refuses an unsigned request with 401 and does nothing', async () => {
    const before = h.api.count();
    const res = await h.post(helpBody(h.api.responseUrl()), 'application/x-www-form-urlencoded', {
      unsigned: true,
    });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.api.calls().slice(before)).toEqual([]);
  });

  it('refuses a request signed with another secret, or whose body was changed after signing', async () => {
    const wrong = await h.post(helpBody(h.api.responseUrl()), 'application/x-www-form-urlencoded', {
      secret: 'not-the-secret',
    });
    expect(wrong.status).toBe(401);
    const tampered = await h.post(helpBody(h.api.responseUrl()), 'application/x-www-form-urlencoded', {
      tamper: true,
    });
    expect(tampered.status).toBe(401);
  });

  it('refuses a replayed request older than five minutes', async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await h.post(helpBody(h.api.responseUrl()), 'application/x-www-form-urlencoded', {
      timestamp: stale,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a request timestamped more than five minutes ahead, and a body larger than Slack sends', async () => {
    const ahead = Math.floor(Date.now() / 1000) + 6 * 60;
    const before = h.api.count();
    const early = await h.post(helpBody(h.api.responseUrl()), 'application/x-www-form-urlencoded', {
      timestamp: ahead,
    });
    expect(early.status).toBe(401);
    const huge = await h.post(
      `${helpBody(h.api.responseUrl())}&padding=${'x'.repeat(defaultBodyLimit)}`,
      'application/x-www-form-urlencoded',
    );
    expect(huge.status).toBe(413);
    // A signed help answered after them is the only answer since: neither of those was done.
    const signed = await h.slash(SLACK.alice.id, 'help');
    await answerTo(h, signed.responseUrl);
    expect(
      h.api
        .calls()
        .slice(before)
        .filter((c) => c.method === 'response_url'),
    ).toHaveLength(1);
  });

  it('tells someone who is not in the inventory so, in their language', async () => {
    const { responseUrl } = await h.slash(SLACK.stranger.id, 'list');
    const reply = await answerTo(h, responseUrl);
    expect(reply.args.text).toContain('You are not in the inventory');
    expect(reply.args.text).toContain(SLACK.stranger.email);
  });
});

describe.each(drivers)('Slack is answered within its three seconds (%s)', (driver) => {
  const h = useSlack(driver);

  it('acks a command at once and answers through response_url when the slow work is done', async () => {
    // Slack itself is slow to tell who Eve is (she is linked by e-mail on first contact): it does not
    // answer until the test lets it.
    const release = h.api.hold('users.info');
    let released = Infinity;
    const since = h.api.count();
    let responseUrl: string;
    try {
      // Acknowledged while Slack still has not said who Eve is.
      const sent = await h.slash(SLACK.eve.id, 'list');
      responseUrl = sent.responseUrl;
      expect(sent.res.status).toBe(200);
      await h.api.waitFor('users.info', () => true, { since });
      expect(
        h.api.calls('response_url').filter((c) => c.args.path === new URL(responseUrl).pathname),
      ).toEqual([]);
    } finally {
      released = Date.now();
      release();
    }
    const reply = await answerTo(h, responseUrl, { since });
    expect(reply.at).toBeGreaterThanOrEqual(released);
  });

  it('opens the wizard with the trigger_id before any slow call to Slack', async () => {
    // users.info gets no answer until the wizard is open: the wizard cannot have waited for it.
    const release = h.api.hold('users.info');
    try {
      const since = h.api.count();
      const { triggerId } = await h.slash(SLACK.alice.id, 'new');
      const opened = await h.api.waitFor('views.open', () => true, { since });
      expect(opened.args.trigger_id).toBe(triggerId);
    } finally {
      release();
    }
  });
});

describe('Slack under a flood of commands', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack('pglite', { concurrency: 1, backlog: 1 });
  });
  afterAll(() => h.close());

  it('keeps acking at once, tells the overflow the bot is busy, and still answers what it accepted', async () => {
    // Eve's first contact needs a slow users.info: her command holds the only place in the backlog.
    const release = h.api.hold('users.info');
    let first: Awaited<ReturnType<typeof h.slash>>;
    try {
      first = await h.slash(SLACK.eve.id, 'list');
      const second = await h.slash(SLACK.alice.id, 'list');
      expect(second.res.status).toBe(200);
      const body = (await second.res.json()) as { text?: string };
      // In Alice's language: nothing of hers is in this process, so as the database has it (the inventory's).
      expect(body.text).toBe(translate('fr', 'slack:error.busy'));
    } finally {
      release();
    }
    const reply = await answerTo(h, first.responseUrl);
    expect(reply.args.text).toBeDefined();
  });
});

interface Waiting {
  status: number;
  answered: () => Promise<void>;
}

/** Requests whose work waits after their ack, each as a person sends it and as they see its answer. */
const waitingKinds: [string, (h: SlackHarness, userId: string) => Promise<Waiting>, string][] = [
  [
    'commands',
    async (h, userId) => {
      const { res, responseUrl } = await h.slash(userId, 'list');
      return {
        status: res.status,
        answered: async () => expect((await answerTo(h, responseUrl)).args.text).toBeDefined(),
      };
    },
    'response_url',
  ],
  [
    'Home tab events (Bolt acknowledges them before any listener)',
    async (h, userId) => {
      const res = await h.event({
        type: 'app_home_opened',
        user: userId,
        channel: `D${userId}`,
        tab: 'home',
      });
      return {
        status: res.status,
        answered: async () => {
          await h.api.waitFor('views.publish', (c) => c.args.user_id === userId);
        },
      };
    },
    'views.publish',
  ],
];

describe.each(waitingKinds)('Slack %s waiting after their ack', (_, send, answer) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack('pglite', { concurrency: 1, backlog: 4 });
  });
  afterAll(() => h.close());

  it('are done with in Bolt at the ack, so their request is let go while their work waits', async () => {
    // Bolt's handling of each request, from the receiver's call to its end: the request, the response and
    // the middleware's state live until it ends.
    const app = h.adapter.app as unknown as { processEvent(event: unknown): Promise<void> };
    const handle = app.processEvent.bind(app);
    let ended = 0;
    app.processEvent = async (event) => {
      try {
        return await handle(event);
      } finally {
        ended += 1;
      }
    };
    // First contacts wait for users.info, held: the first request's work holds the one place to run,
    // the next ones wait in the backlog, all of them acknowledged.
    const release = h.api.hold('users.info');
    const sent: Waiting[] = [];
    try {
      for (const who of [SLACK.eve, SLACK.carol, SLACK.paul]) sent.push(await send(h, who.id));
      expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
      await h.api.waitFor('users.info');
      await eventually(() => ended === 3);
      expect(h.api.calls(answer)).toHaveLength(0);
    } finally {
      release();
    }
    // And every one is answered.
    for (const s of sent) await s.answered();
  });
});
