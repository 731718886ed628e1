import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { conversationRefs } from '../../db/schema.js';
import { nowSeconds } from '../support/jwt.js';
import {
  APP,
  capturingLogger,
  personalMessage,
  productionConfig,
  startProductionTeamsWorld,
  type ProductionTeamsWorld,
} from '../support/teams-production.js';
import { startBot, teamsClient, teamsUser, TENANT } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const OTHER_APP_ID = '0a1b2c3d-0000-4000-8000-000000000000';

/** A message from Bob as Teams posts it, signed with `authorization` instead of a valid channel token. */
function bobSays(world: ProductionTeamsWorld, text: string, overrides: Record<string, unknown> = {}) {
  return {
    ...personalMessage(world, bob, TENANT, text),
    id: `refused-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}

describe('Teams in production: the channel’s token on every request in, the bot’s own on every call out', () => {
  let world: ProductionTeamsWorld;

  beforeAll(async () => {
    world = await startProductionTeamsWorld('pglite', [alice, bob]);
  });
  afterAll(() => world?.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a message signed by the channel, with a reply that carries the token the bot asked for', async () => {
    const res = await world.teams.message(alice, 'help');
    expect(res.status).toBe(200);
    // The signature was checked with the keys of the configured cloud, not Microsoft's.
    expect(world.idp.metadataRequests).toEqual([
      '/v1/.well-known/openidconfiguration',
      '/v1/.well-known/keys',
    ]);
    const [reply] = world.connector.posted(alice.chat);
    expect(reply).toBeDefined();
    expect(world.idp.botTokenClaims(reply!.authorization, APP.appId)).toMatchObject({
      aud: world.idp.botScope,
      appid: APP.appId,
      tid: world.idp.botFrameworkTenant,
    });
    // The roster lookup that linked Alice by e-mail went out with the same token.
    const lookups = world.connector.requests.filter(
      (r) => r.method === 'GET' && r.path.includes('/members/'),
    );
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.authorization).toBe(reply!.authorization);
    expect(world.idp.tokenRequests).toEqual([
      {
        tenant: world.idp.botFrameworkTenant,
        clientId: APP.appId,
        scope: `${world.idp.botScope}/.default`,
        status: 200,
      },
    ]);
  });

  const now = nowSeconds();
  it.each([
    ['no token at all', () => ''],
    [
      'an expired token',
      (w: ProductionTeamsWorld) =>
        w.idp.channelToken(APP.appId, w.connector.serviceUrl, {
          claims: { nbf: now - 7200, exp: now - 900 },
        }),
    ],
    [
      'a token for another app (audience)',
      (w: ProductionTeamsWorld) => w.idp.channelToken(OTHER_APP_ID, w.connector.serviceUrl),
    ],
    [
      'a token from another issuer (the public cloud’s)',
      (w: ProductionTeamsWorld) =>
        w.idp.channelToken(APP.appId, w.connector.serviceUrl, {
          claims: { iss: 'https://api.botframework.com' },
        }),
    ],
    [
      'a token signed with a key the metadata never listed',
      (w: ProductionTeamsWorld) => w.idp.channelToken(APP.appId, w.connector.serviceUrl, { key: 'unknown' }),
    ],
    [
      'a token whose listed key id hides another key',
      (w: ProductionTeamsWorld) => w.idp.channelToken(APP.appId, w.connector.serviceUrl, { key: 'forged' }),
    ],
    [
      'a token for another service URL',
      (w: ProductionTeamsWorld) => w.idp.channelToken(APP.appId, 'https://smba.elsewhere.example/emea/'),
    ],
    [
      'a token without a service URL',
      (w: ProductionTeamsWorld) =>
        w.idp.channelToken(APP.appId, w.connector.serviceUrl, { claims: { serviceurl: undefined } }),
    ],
    [
      'an unsigned token (alg: none)',
      (w: ProductionTeamsWorld) => w.idp.channelToken(APP.appId, w.connector.serviceUrl, { key: 'none' }),
    ],
  ])('refuses %s with 401, and neither answers nor remembers anything', async (_case, token) => {
    const sent = world.connector.requests.length;
    const bearer = token(world);
    const res = await world.teams.post(bobSays(world, 'help'), {
      authorization: bearer ? `Bearer ${bearer}` : '',
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized' });
    expect(world.connector.requests.length).toBe(sent);
    const refs = await world.database.db.select().from(conversationRefs);
    expect(refs.map((r) => r.teamsUserId)).toEqual([alice.id]);
  });

  it('refuses an activity without a token before reading its body', async () => {
    // The body is declared and never sent: only an answer given before reading it arrives.
    const { hostname, port } = new URL(world.bot.url);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(
          [
            'POST /api/messages HTTP/1.1',
            `Host: ${hostname}`,
            'Content-Type: application/json',
            'Content-Length: 900000',
            '',
            '',
          ].join('\r\n'),
        ),
      );
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(status).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('refuses an activity whose service URL differs from the one its token was signed for', async () => {
    const elsewhere = 'http://127.0.0.1:9/'; // where a thief would have the replies sent
    const res = await world.teams.post(bobSays(world, 'help', { serviceUrl: elsewhere }), {
      authorization: `Bearer ${world.idp.channelToken(APP.appId, world.connector.serviceUrl)}`,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a token whose key is not endorsed for the channel the activity claims', async () => {
    const res = await world.teams.post(bobSays(world, 'help', { channelId: 'webchat' }), {
      authorization: `Bearer ${world.idp.channelToken(APP.appId, world.connector.serviceUrl)}`,
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ['another channel the Bot Framework signs for', { channelId: 'webchat' }],
    ['an empty channel', { channelId: '' }],
    ['no channel at all', { channelId: undefined }],
  ])('refuses an activity from %s with 401, though its token is valid', async (_case, overrides) => {
    const sent = world.connector.requests.length;
    const res = await world.teams.post(bobSays(world, 'help', overrides), {
      authorization: `Bearer ${world.idp.channelToken(APP.appId, world.connector.serviceUrl)}`,
    });
    expect(res.status).toBe(401);
    expect(world.connector.requests.length).toBe(sent);
    // Refused as a request, not logged as the bot's failure to read the signing keys.
    expect(world.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('warns at start that a multi-tenant app naming no tenant serves every tenant that installs it', () => {
    expect(world.logs.some((l) => l.level === 40 && String(l.msg).includes('TEAMS_TENANTS is not set'))).toBe(
      true,
    );
  });

  it('reads the signing keys once: refused tokens do not make it fetch them again', async () => {
    const before = world.idp.metadataRequests.length;
    for (let i = 0; i < 3; i++) {
      const token = world.idp.channelToken(APP.appId, world.connector.serviceUrl, { key: 'unknown' });
      expect(
        (await world.teams.post(bobSays(world, 'help'), { authorization: `Bearer ${token}` })).status,
      ).toBe(401);
    }
    expect((await world.teams.message(bob, 'help')).status).toBe(200);
    expect(world.idp.metadataRequests.length).toBe(before);
  });

  it('asks for its token once for many messages, and again only when it nears expiry', async () => {
    const requests = () => world.idp.tokenRequests.length;
    const first = requests();
    await Promise.all([1, 2, 3, 4, 5].map(() => world.teams.message(alice, 'list')));
    await world.teams.message(bob, 'list');
    expect(requests()).toBe(first);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 54 * 60_000); // six minutes left on a one-hour token
    await world.teams.message(alice, 'help');
    expect(requests()).toBe(first);
    const oldToken = world.connector.posted(alice.chat).at(-1)!.authorization;

    vi.setSystemTime(Date.now() + 2 * 60_000); // four minutes left: renewed before it runs out
    await world.teams.message(alice, 'help');
    expect(requests()).toBe(first + 1);
    const newToken = world.connector.posted(alice.chat).at(-1)!.authorization;
    expect(newToken).not.toBe(oldToken);
    expect(world.idp.botTokenClaims(newToken, APP.appId)).toBeDefined();
  });
});

describe('Teams in production: when the channel’s signing keys cannot be read', () => {
  let world: ProductionTeamsWorld;
  beforeAll(async () => {
    world = await startProductionTeamsWorld('pglite', [alice]);
  });
  afterAll(() => world?.close());

  it('answers 500 without details, and tells the operator, rather than turn every message away as forged', async () => {
    const { logger, entries } = capturingLogger();
    const misconfigured = productionConfig(world.idp, APP, {
      MICROSOFT_OPENID_METADATA_URL: `${world.idp.url}/v1/.well-known/no-such-document`,
    });
    const bot = await startBot(world.deps, misconfigured, logger);
    try {
      const teams = teamsClient(
        bot,
        world.connector,
        (a) => `Bearer ${world.idp.channelToken(APP.appId, a.serviceUrl ?? '')}`,
      );
      const res = await teams.message(alice, 'help');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'cannot authenticate the request now' });
      expect(entries.filter((e) => e.level === 50).map((e) => e.msg)).toEqual([
        expect.stringContaining('cannot authenticate requests'),
      ]);
      expect(world.connector.requests).toEqual([]);
    } finally {
      await bot.close();
    }
  });
});
