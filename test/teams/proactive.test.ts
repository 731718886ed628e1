import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelTargets, userTarget } from '../../src/delivery/targets.js';
import { conversationRefs, history } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { buildDecisionCard } from '../../src/app/cards.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { executeActions, startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { createTestDatabase, surfaceDrivers, type TestDatabase } from '../support/db.js';
import { COMPLIANCE_CONVERSATION, startBot, teamsClient, teamsUser } from '../support/teams.js';
import { actor, EMAILS, seedWorld, testDeps } from '../support/world.js';
import { msg } from '../../src/i18n/index.js';

const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);

/** Alice asks in Slack (or any surface but Teams): the core alone, no Teams in sight. */
async function requestedInSlack(
  database: TestDatabase,
  deps: ReturnType<typeof testDeps>,
  asset: string,
): Promise<string> {
  const alice = await actor(database.db, 'alice', 'slack');
  const requested = await requestTransfer(deps, alice, {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
    assets: [parseAssetRef(asset)!],
    sameCompany: false,
    transferee: EMAILS.bob,
    justification: 'Brussels office',
    termsAccepted: true,
  });
  if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
  const submitted = await submitTransfer(deps, alice, requested.value.state.id);
  if (!submitted.ok || submitted.value.status !== 'awaiting_consent') throw new Error('not awaiting consent');
  return requested.value.state.id;
}

describe.each(surfaceDrivers)('Teams: proactive delivery across restarts and platforms (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  /** Links an inventory person to a Teams id, as an import or their first message would. */
  async function linkTeams(email: string, teamsUserId: string): Promise<void> {
    const user = (await deps.store.users.findUser({ email }))!;
    await deps.store.users.linkIdentity(user.id, 'teams', teamsUserId);
  }
  let connector: BotConnector;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db);
    connector = await startBotConnector();
    for (const u of [bob, cora]) connector.roster.set(u.id, { id: u.id, name: u.name, email: u.email });
  });
  afterAll(async () => {
    await connector?.close();
    await database?.dispose();
  });

  it('stores a reference, restarts, and still delivers the consent card of a transfer requested in Slack', async () => {
    const first = await startBot(deps);
    await teamsClient(first, connector).message(bob, 'list');
    await first.close();
    expect(await database.db.select().from(conversationRefs)).toHaveLength(1);

    const id = await requestedInSlack(database, deps, 'SO:100-1');
    const second = await startBot(deps); // a new adapter, nothing in memory: only the database
    try {
      const before = connector.posted(bob.chat).length;
      const summary = await drainOutbox(deps, { senders: [second.adapter.sender] });
      expect(summary.unreachable).toBeGreaterThanOrEqual(1); // Alice (Slack only) cannot be reached by a Teams-only process
      const posted = connector.posted(bob.chat).slice(before);
      const card = posted
        .map((r) => (r.body as { attachments?: { content: unknown }[] }).attachments?.[0]?.content)
        .find((c) => executeActions(c).length > 0);
      expect(executeActions(card).map((a) => [a.verb, a.data.transactionId])).toEqual([
        ['consent_approve', id],
        ['consent_reject', id],
      ]);
      // A proactive message is a new activity in the conversation, not a reply to anything.
      expect(posted.every((r) => r.activityId === undefined)).toBe(true);
      // Every copy is recorded for later redraws.
      const rows = await database.db.query.cards.findMany({ where: (c, { eq: is }) => is(c.transferId, id) });
      expect(rows.map((r) => [r.platform, r.location.conversationId])).toEqual([['teams', bob.chat]]);
    } finally {
      await second.close();
    }
  });

  it('opens the one-to-one chat of a person the inventory knows by Teams id who never wrote to the bot', async () => {
    const bot = await startBot(deps);
    try {
      await linkTeams(EMAILS.cora, cora.id);
      const user = (await deps.store.users.findUser({ email: EMAILS.cora }))!;
      const target = await userTarget([bot.adapter.sender], user, 'UTC');
      expect(target?.address).toMatchObject({ platform: 'teams', id: cora.id, reader: { locale: 'ja' } });
      const created = connector.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations');
      expect(created.at(-1)?.body).toMatchObject({
        isGroup: false,
        members: [{ id: cora.id }],
        tenantId: 'tenant-1',
      });
      expect(
        await database.db.select().from(conversationRefs).where(eq(conversationRefs.teamsUserId, cora.id)),
      ).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });

  it('reports a person the bot cannot reach (app never installed) instead of skipping them', async () => {
    const bot = await startBot(deps);
    try {
      await linkTeams(EMAILS.carol, '29:carol');
      connector.notInstalled.add('29:carol');
      const carol = (await deps.store.users.findUser({ email: EMAILS.carol }))!;
      expect(await bot.adapter.sender.resolveUser(carol)).toBeNull();
      const carolWithout = (await deps.store.users.findUser({ email: EMAILS.olga }))!;
      expect(await bot.adapter.sender.resolveUser(carolWithout)).toBeNull(); // no Teams id at all

      // Bob uninstalls: his reference goes, and the next card for him is reported to the requester.
      await teamsClient(bot, connector).post({
        type: 'installationUpdate',
        action: 'remove',
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: bob.id },
        recipient: { id: '28:transfer-bot' },
        conversation: { id: bob.chat, conversationType: 'personal', tenantId: 'tenant-1' },
      });
      connector.notInstalled.add(bob.id);
      const id = await requestedInSlack(database, deps, 'SO:105-1');
      await drainOutbox(deps, { senders: [bot.adapter.sender] });
      const recorded = await database.db.select().from(history).where(eq(history.transferId, id));
      expect(
        recorded.some(
          (h) => h.action.includes('unreachable') && JSON.stringify(h.details).includes(EMAILS.bob),
        ),
      ).toBe(true);
    } finally {
      connector.notInstalled.clear();
      await bot.close();
    }
  });

  it('maps throttling and removal to what the delivery worker needs, without waiting on SDK retries', async () => {
    const bot = await startBot(deps);
    try {
      const sender = bot.adapter.sender;
      await teamsClient(bot, connector).message(bob, 'help'); // Bob is back
      const bobRow = (await deps.store.users.findUser({ email: EMAILS.bob }))!;
      const to = (await userTarget([sender], bobRow, 'UTC'))!.address;
      const content = {
        text: msg('core:reply.statusNow', { id: 'AT-2222BBBB', status: 'submitted' }),
        lines: [],
      };

      connector.failNext({ status: 429, headers: { 'Retry-After': '7' } });
      const count = connector.requests.length;
      const started = Date.now();
      const throttled = await sender.sendMessage(to, content).catch((e: unknown) => e);
      expect(throttled).toBeInstanceOf(DeliveryError);
      expect((throttled as DeliveryError).options).toEqual({ retryAfterMs: 7000 });
      expect(connector.requests.length - count).toBe(1);
      // Waiting would have taken the seven seconds asked for.
      expect(Date.now() - started).toBeLessThan(7000);

      for (const status of [412, 502, 504]) {
        connector.failNext({ status });
        const err = (await sender.sendMessage(to, content).catch((e: unknown) => e)) as DeliveryError;
        expect(err.options.permanent, `HTTP ${status}`).toBeUndefined();
      }
      for (const status of [403, 404]) {
        connector.failNext({ status });
        const err = (await sender.sendMessage(to, content).catch((e: unknown) => e)) as DeliveryError;
        expect(err.options, `HTTP ${status}`).toEqual({ permanent: true });
      }
    } finally {
      await bot.close();
    }
  });

  it('redraws a posted card in place with updateActivity, idempotently', async () => {
    const bot = await startBot(deps);
    try {
      const id = await requestedInSlack(database, deps, 'SN:FOC0001');
      const [to] = channelTargets([bot.adapter.sender], 'compliance', { defaultTimeZone: 'UTC' }).map(
        (target) => target.address,
      );
      if (!to) throw new Error('no compliance conversation');
      expect(to.id).toBe(COMPLIANCE_CONVERSATION);
      // The conversation is read in English unless COMPLIANCE_LOCALE says another language.
      expect(to.reader.locale).toBe('en');
      const [inJapanese] = channelTargets([bot.adapter.sender], 'compliance', {
        defaultTimeZone: 'UTC',
        complianceLocale: 'ja',
      });
      expect(inJapanese?.address.reader.locale).toBe('ja');
      const view = (await buildDecisionCard(deps, id, 'consent:transferee'))!;
      const location = await bot.adapter.sender.sendCard(to, view);
      expect(location).toMatchObject({
        conversationId: COMPLIANCE_CONVERSATION,
        serviceUrl: connector.serviceUrl,
      });
      await bot.adapter.sender.updateCard(location, view, to.reader);
      await bot.adapter.sender.updateCard(location, view, to.reader);
      const updates = connector
        .updates(COMPLIANCE_CONVERSATION)
        .filter((u) => u.activityId === location.activityId);
      expect(updates).toHaveLength(2);
      expect(updates[0]!.body).toEqual(updates[1]!.body);
    } finally {
      await bot.close();
    }
  });
});
