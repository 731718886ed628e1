import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import {
  startBot,
  teamsClient,
  teamsConfig,
  teamsUser,
  useTeamsWorld,
  type RunningBot,
} from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('Teams: authentication of /api/messages', () => {
  // The password is a placeholder: no token is ever requested, since every request is refused first.
  const world = useTeamsWorld('pglite', [bob], {
    env: {
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'placeholder-not-a-secret',
      TEAMS_ALLOW_UNAUTHENTICATED: 'false',
    },
  });

  it('answers 401 to a request without a token, and sends nothing', async () => {
    const res = await world.teams.message(bob, 'help');
    expect(res.status).toBe(401);
    expect(world.connector.requests).toEqual([]);
  });

  it('answers 401 to a request whose token is not a Bot Framework token', async () => {
    const unsigned =
      Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ iss: 'me', aud: APP_ID })).toString('base64url') +
      '.';
    const res = await world.teams.post(
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        channelId: 'msteams',
        serviceUrl: world.connector.serviceUrl,
        from: { id: bob.id },
        conversation: { id: bob.chat },
        value: {},
      },
      { authorization: `Bearer ${unsigned}` },
    );
    expect(res.status).toBe(401);
    expect(world.connector.requests).toEqual([]);
  });

  it('refuses to start without an app ID unless unauthenticated mode is asked for', async () => {
    await expect(startBot(world.deps, teamsConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'false' }))).rejects.toThrow(
      'MICROSOFT_APP_ID',
    );
  });
});

describe('Teams: when the database is gone', () => {
  let connector: BotConnector;
  let bot: RunningBot;
  const gone = new Proxy(
    {},
    {
      get() {
        throw new Error('database unreachable');
      },
    },
  );

  beforeAll(async () => {
    connector = await startBotConnector();
    bot = await startBot(
      {
        store: gone as never,
        now: () => new Date(),
        config: { consentExpireAfterMs: 0, keepDeliveredMs: 0, exportDir: '/tmp', defaultTimeZone: 'UTC' },
      },
      teamsConfig(),
      undefined,
      { durableWork: { waitMs: 1500, pollMs: 200 } },
    );
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
  });

  it('tells the person something went wrong instead of staying silent', async () => {
    const teams = teamsClient(bot, connector);
    const message = await teams.message(bob, 'list');
    expect(message.status).toBe(200);
    // A typed command waits for the database to come back; when it does not, the person is told.
    const deadline = Date.now() + 10_000;
    while (connector.posted(bob.chat).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((connector.posted(bob.chat).at(-1)?.body as { text: string }).text).toContain(
      'Something went wrong on our side; nothing was changed by this request.',
    );
    const click = await teams.execute(bob, 'consent_approve', { transactionId: 'AT-2222BBBB' });
    expect(click.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining('Something went wrong'),
    });
  });
});
