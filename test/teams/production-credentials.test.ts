import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTeamsCredentials } from '../../adapters/teams/check-credentials.js';
import { userIdentities } from '../../db/schema.js';
import { createStore } from '../../db/store.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import {
  startIdentityProvider,
  type AppRegistration,
  type IdentityProvider,
} from '../support/identity-provider.js';
import {
  APP,
  personalMessage,
  productionConfig,
  startProductionTeamsWorld,
  type ProductionTeamsWorld,
} from '../support/teams-production.js';
import { teamsUser, TENANT } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const OTHER_TENANT = 'tenant-2';
/** A single-tenant bot registered in TENANT, and another company's app, so that OTHER_TENANT exists. */
const SINGLE: AppRegistration = {
  appId: '7d3f1c2b-2222-4a4a-9b9b-0c0c0c0c0c0c',
  password: 'test-only-single-tenant-password',
  tenant: TENANT,
  multiTenant: false,
};
const ELSEWHERE: AppRegistration = {
  appId: '9e9e9e9e-3333-4b4b-8c8c-1d1d1d1d1d1d',
  password: 'test-only-other-company-password',
  tenant: OTHER_TENANT,
  multiTenant: false,
};
const singleTenant = { MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: TENANT };

describe('Teams in production: a single-tenant bot', () => {
  let world: ProductionTeamsWorld;

  beforeAll(async () => {
    world = await startProductionTeamsWorld('pglite', [alice, bob], {
      registrations: [SINGLE, ELSEWHERE],
      credentials: SINGLE,
      env: singleTenant,
    });
  });
  afterAll(() => world?.close());

  it('asks its own tenant for its token, once for messages that arrive together, and answers with it', async () => {
    const answers = await Promise.all([world.teams.message(alice, 'help'), world.teams.message(bob, 'help')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(world.connector.posted(bob.chat)).toHaveLength(1);
    expect(world.idp.tokenRequests).toEqual([
      { tenant: TENANT, clientId: SINGLE.appId, scope: `${world.idp.botScope}/.default`, status: 200 },
    ]);
    const reply = world.connector.posted(alice.chat).at(-1);
    expect(world.idp.botTokenClaims(reply?.authorization, SINGLE.appId)).toMatchObject({ tid: TENANT });
  });

  it('refuses an activity from another tenant, though the channel signed it', async () => {
    const sent = world.connector.requests.length;
    const fromElsewhere = personalMessage(
      world,
      teamsUser('mallory', 'Mallory', ''),
      OTHER_TENANT,
      'list',
    ) as {
      conversation: Record<string, unknown>;
    };
    const res = await world.teams.post(fromElsewhere);
    expect(res.status).toBe(401);
    // Claiming the bot's tenant in one place and another in the other is no better.
    const mixed = await world.teams.post({
      ...fromElsewhere,
      conversation: { ...fromElsewhere.conversation, tenantId: TENANT },
    });
    expect(mixed.status).toBe(401);
    expect(world.connector.requests.length).toBe(sent);
  });

  it('refuses a token issued for another tenant', async () => {
    const token = world.idp.channelToken(SINGLE.appId, world.connector.serviceUrl, {
      claims: { tid: OTHER_TENANT },
    });
    const res = await world.teams.post(personalMessage(world, alice, TENANT, 'help'), {
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(401);
  });
});

describe('Teams in production: a multi-tenant bot that names the tenants it serves', () => {
  let world: ProductionTeamsWorld;
  // Another company installs the app in its own tenant; its directory gives Carol's e-mail to Mallory.
  const mallory = teamsUser('mallory', 'Mallory', EMAILS.carol);

  beforeAll(async () => {
    world = await startProductionTeamsWorld('pglite', [alice, mallory], {
      env: { TEAMS_TENANTS: `${TENANT.toUpperCase()}, tenant-3` },
    });
  });
  afterAll(() => world?.close());

  it('serves the tenants it names and refuses another one, so its directory cannot claim an inventory person', async () => {
    expect((await world.teams.message(alice, 'help')).status).toBe(200);
    const sent = world.connector.requests.length;
    const res = await world.teams.post(personalMessage(world, mallory, OTHER_TENANT, 'accounts'));
    expect(res.status).toBe(401);
    // Nothing was asked of the roster, nothing answered, and Carol is linked to nobody.
    expect(world.connector.requests.length).toBe(sent);
    const linked = await world.database.db.select().from(userIdentities);
    expect(linked.filter((l) => l.platform === 'teams').map((l) => l.externalId)).toEqual([alice.id]);
    // Named tenants leave nothing to warn about at start.
    expect(world.logs.some((l) => String(l.msg).includes('TEAMS_TENANTS is not set'))).toBe(false);
  });
});

describe('Teams in production: credentials the identity provider refuses', () => {
  let world: ProductionTeamsWorld;
  const wrongPassword = 'test-only-an-old-password';

  beforeAll(async () => {
    world = await startProductionTeamsWorld('pglite', [alice], {
      credentials: { appId: APP.appId, password: wrongPassword },
    });
  });
  afterAll(() => world?.close());

  const refusals = () => world.logs.filter((l) => l.msg.includes('refused the bot its token'));

  it('logs the refusal once, with the app ID and what the identity provider said, however many messages fail', async () => {
    expect((await world.teams.message(alice, 'help')).status).toBe(200);
    expect((await world.teams.message(alice, 'list')).status).toBe(200);
    expect(world.connector.requests).toEqual([]); // nothing left without a token
    expect(world.idp.tokenRequests.every((r) => r.status === 401 && r.error === 'AADSTS7000215')).toBe(true);
    expect(world.idp.tokenRequests.length).toBeGreaterThanOrEqual(2);
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]).toMatchObject({
      level: 50,
      appId: APP.appId,
      error: 'invalid_client',
      description: expect.stringContaining(
        `AADSTS7000215: Invalid client secret provided for app '${APP.appId}'`,
      ),
    });
    expect(world.logs.filter((l) => l.level >= 50)).toHaveLength(1);
    expect(JSON.stringify(world.logs)).not.toContain(wrongPassword);
  });

  it('fails a proactive message as worth retrying later (not as an unreachable person), without logging again', async () => {
    const sender = world.bot.adapter.sender;
    // Her chat was stored when she wrote; her Teams id comes from the inventory, as the roster could not be read.
    const store = createStore(world.database.db);
    const person = (await store.users.findUser({ email: EMAILS.alice }))!;
    await store.users.linkIdentity(person.id, 'teams', alice.id);
    const contact = await sender.resolveUser((await store.users.findUser({ email: EMAILS.alice }))!);
    expect(contact).not.toBeNull();
    const failed = await sender
      .sendMessage(
        { platform: 'teams', id: contact!.id, reader: { locale: 'en', timeZone: 'UTC' } },
        {
          text: { key: 'core:reply.statusNow', params: { id: 'AT-2222BBBB', status: 'submitted' } },
          lines: [],
        },
      )
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DeliveryError);
    expect((failed as DeliveryError).options.permanent).toBeUndefined();
    expect((failed as DeliveryError).message).toContain('AADSTS7000215');
    expect(refusals()).toHaveLength(1);
  });
});

describe('checkTeamsCredentials: what `transfer-bot doctor` reports', () => {
  let idp: IdentityProvider;

  beforeAll(async () => {
    idp = await startIdentityProvider([APP, SINGLE, ELSEWHERE]);
  });
  afterAll(() => idp?.close());

  it('obtains a token with the right app ID and password', async () => {
    const check = await checkTeamsCredentials(productionConfig(idp, APP));
    expect(check.ok).toBe(true);
    expect(check.detail).toContain(`app ${APP.appId} obtained a token from ${idp.url}/botframework.com`);
    const single = await checkTeamsCredentials(productionConfig(idp, SINGLE, singleTenant));
    expect(single).toMatchObject({ ok: true, detail: expect.stringContaining(`${idp.url}/${TENANT}`) });
  });

  it('names the app and repeats the identity provider’s answer when it refuses', async () => {
    const wrongPassword = await checkTeamsCredentials(productionConfig(idp, { ...APP, password: 'nope' }));
    expect(wrongPassword.ok).toBe(false);
    expect(wrongPassword.detail).toContain(APP.appId);
    expect(wrongPassword.detail).toContain('invalid_client: AADSTS7000215: Invalid client secret provided');

    const notThere = await checkTeamsCredentials(
      productionConfig(idp, SINGLE, { ...singleTenant, MICROSOFT_APP_TENANT_ID: OTHER_TENANT }),
    );
    expect(notThere.ok).toBe(false);
    expect(notThere.detail).toContain(
      `AADSTS700016: Application with identifier '${SINGLE.appId}' was not found in the directory '${OTHER_TENANT}'`,
    );

    const noSuchTenant = await checkTeamsCredentials(
      productionConfig(idp, SINGLE, { ...singleTenant, MICROSOFT_APP_TENANT_ID: 'tenant-typo' }),
    );
    expect(noSuchTenant.ok).toBe(false);
    expect(noSuchTenant.detail).toContain("AADSTS90002: Tenant 'tenant-typo' not found");
  });

  it('says what is missing without asking anyone', async () => {
    const before = idp.tokenRequests.length;
    const loaded = productionConfig(idp, APP);
    expect(await checkTeamsCredentials({ ...loaded, MICROSOFT_APP_ID: undefined })).toMatchObject({
      ok: false,
      detail: expect.stringContaining('MICROSOFT_APP_ID'),
    });
    expect(idp.tokenRequests.length).toBe(before);
  });
});
