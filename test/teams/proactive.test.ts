import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelTargets, userTarget } from '../../src/delivery/targets.js';
import { conversationRefs, history } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { buildDecisionCard } from '../../src/app/cards.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { executeActions } from '../support/bot-connector.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { COMPLIANCE_CONVERSATION, teamsUser, useTeamsWorld } from '../support/teams.js';
import { actor, EMAILS, type testDeps } from '../support/world.js';
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
  const world = useTeamsWorld(driver, [bob, cora]);

  /** Links an inventory person to a Teams id, as an import or their first message would. */
  async function linkTeams(email: string, teamsUserId: string): Promise<void> {
    const user = (await world.deps.store.users.findUser({ email }))!;
    await world.deps.store.users.linkIdentity(user.id, 'teams', teamsUserId);
  }

  it('stores a reference, restarts, and still delivers the consent card of a transfer requested in Slack', async () => {
    await world.teams.message(bob, 'list');
    await world.restart(); // a new adapter, nothing in memory: only the database
    expect(await world.database.db.select().from(conversationRefs)).toHaveLength(1);

    const id = await requestedInSlack(world.database, world.deps, 'SO:100-1');
    const before = world.connector.posted(bob.chat).length;
    const summary = await drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
    expect(summary.unreachable).toBeGreaterThanOrEqual(1); // Alice (Slack only) cannot be reached by a Teams-only process
    const posted = world.connector.posted(bob.chat).slice(before);
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
    const rows = await world.database.db.query.cards.findMany({
      where: (c, { eq: is }) => is(c.transferId, id),
    });
    expect(rows.map((r) => [r.platform, r.location.conversationId])).toEqual([['teams', bob.chat]]);
  });

  it('opens the one-to-one chat of a person the inventory knows by Teams id who never wrote to the bot', async () => {
    await linkTeams(EMAILS.cora, cora.id);
    const user = (await world.deps.store.users.findUser({ email: EMAILS.cora }))!;
    const target = await userTarget([world.bot.adapter.sender], user, 'UTC');
    expect(target?.address).toMatchObject({ platform: 'teams', id: cora.id, reader: { locale: 'ja' } });
    const created = world.connector.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v3/conversations',
    );
    expect(created.at(-1)?.body).toMatchObject({
      isGroup: false,
      members: [{ id: cora.id }],
      tenantId: 'tenant-1',
    });
    expect(
      await world.database.db
        .select()
        .from(conversationRefs)
        .where(eq(conversationRefs.teamsUserId, cora.id)),
    ).toHaveLength(1);
  });

  it('reports a person the bot cannot reach (app never installed) instead of skipping them', async () => {
    try {
      await linkTeams(EMAILS.carol, '29:carol');
      world.connector.notInstalled.add('29:carol');
      const carol = (await world.deps.store.users.findUser({ email: EMAILS.carol }))!;
      expect(await world.bot.adapter.sender.resolveUser(carol)).toBeNull();
      const carolWithout = (await world.deps.store.users.findUser({ email: EMAILS.olga }))!;
      expect(await world.bot.adapter.sender.resolveUser(carolWithout)).toBeNull(); // no Teams id at all

      // Bob uninstalls: his reference goes, and the next card for him is reported to the requester.
      await world.teams.post({
        type: 'installationUpdate',
        action: 'remove',
        channelId: 'msteams',
        serviceUrl: world.connector.serviceUrl,
        from: { id: bob.id },
        recipient: { id: '28:transfer-bot' },
        conversation: { id: bob.chat, conversationType: 'personal', tenantId: 'tenant-1' },
      });
      world.connector.notInstalled.add(bob.id);
      const id = await requestedInSlack(world.database, world.deps, 'SO:105-1');
      await drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
      const recorded = await world.database.db.select().from(history).where(eq(history.transferId, id));
      expect(
        recorded.some(
          (h) => h.action.includes('unreachable') && JSON.stringify(h.details).includes(EMAILS.bob),
        ),
      ).toBe(true);
    } finally {
      world.connector.notInstalled.clear();
    }
  });

  it('maps throttling and removal to what the delivery worker needs, without waiting on SDK retries', async () => {
    const sender = world.bot.adapter.sender;
    await world.teams.message(bob, 'help'); // Bob is back
    const bobRow = (await world.deps.store.users.findUser({ email: EMAILS.bob }))!;
    const to = (await userTarget([sender], bobRow, 'UTC'))!.address;
    const content = {
      text: msg('core:reply.statusNow', { id: 'AT-2222BBBB', status: 'submitted' }),
      lines: [],
    };

    world.connector.failNext({ status: 429, headers: { 'Retry-After': '7' } });
    const count = world.connector.requests.length;
    const started = Date.now();
    const throttled = await sender.sendMessage(to, content).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(DeliveryError);
    expect((throttled as DeliveryError).options).toEqual({ retryAfterMs: 7000 });
    expect(world.connector.requests.length - count).toBe(1);
    // Waiting would have taken the seven seconds asked for.
    expect(Date.now() - started).toBeLessThan(7000);

    for (const status of [412, 502, 504]) {
      world.connector.failNext({ status });
      const err = (await sender.sendMessage(to, content).catch((e: unknown) => e)) as DeliveryError;
      expect(err.options.permanent, `HTTP ${status}`).toBeUndefined();
    }
    for (const status of [403, 404]) {
      world.connector.failNext({ status });
      const err = (await sender.sendMessage(to, content).catch((e: unknown) => e)) as DeliveryError;
      expect(err.options, `HTTP ${status}`).toEqual({ permanent: true });
    }
  });

  it('redraws a posted card in place with updateActivity, idempotently', async () => {
    const id = await requestedInSlack(world.database, world.deps, 'SN:FOC0001');
    const [to] = channelTargets([world.bot.adapter.sender], 'compliance', { defaultTimeZone: 'UTC' }).map(
      (target) => target.address,
    );
    if (!to) throw new Error('no compliance conversation');
    expect(to.id).toBe(COMPLIANCE_CONVERSATION);
    // The conversation is read in English unless COMPLIANCE_LOCALE says another language.
    expect(to.reader.locale).toBe('en');
    const [inJapanese] = channelTargets([world.bot.adapter.sender], 'compliance', {
      defaultTimeZone: 'UTC',
      complianceLocale: 'ja',
    });
    expect(inJapanese?.address.reader.locale).toBe('ja');
    const view = (await buildDecisionCard(world.deps, id, 'consent:transferee'))!;
    const location = await world.bot.adapter.sender.sendCard(to, view);
    expect(location).toMatchObject({
      conversationId: COMPLIANCE_CONVERSATION,
      serviceUrl: world.connector.serviceUrl,
    });
    await world.bot.adapter.sender.updateCard(location, view, to.reader);
    await world.bot.adapter.sender.updateCard(location, view, to.reader);
    const updates = world.connector
      .updates(COMPLIANCE_CONVERSATION)
      .filter((u) => u.activityId === location.activityId);
    expect(updates).toHaveLength(2);
    expect(updates[0]!.body).toEqual(updates[1]!.body);
  });
});
