import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRefs } from '../../db/schema.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import {
  cardText,
  executeActions,
  type AdaptiveCardJson,
  type BotConnector,
} from '../support/bot-connector.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import {
  COMPLIANCE_CONVERSATION,
  startTeamsWorld,
  teamsUser,
  type RunningBot,
  type TeamsClient,
  type TeamsWorld,
} from '../support/teams.js';
import { statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'fr-FR');
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);
/** Another Teams account whose directory gives Alice's e-mail. */
const other = teamsUser('other', 'Alice Martin', EMAILS.alice);

type CardBody = { statusCode: number; type: string; value: AdaptiveCardJson | string };

function lastCard(connector: BotConnector, conversationId: string): AdaptiveCardJson {
  const cards = connector.cards(conversationId);
  const last = cards.at(-1);
  if (!last) throw new Error(`no card posted to ${conversationId}`);
  return last.card;
}

describe.each(surfaceDrivers)('Teams: a whole transfer to another company, over HTTP (%s)', (driver) => {
  let world: TeamsWorld;
  let database: TestDatabase;
  let deps: TeamsWorld['deps'];
  let connector: BotConnector;
  let bot: RunningBot;
  let teams: TeamsClient;
  let id = '';

  const deliver = () => drainOutbox(deps, { senders: [bot.adapter.sender] });
  const status = () => statusOf(database.db, id);

  beforeAll(async () => {
    world = await startTeamsWorld(driver, [alice, bob, cora, other]);
    ({ database, deps, connector, bot, teams } = world);
  });
  afterAll(() => world?.close());

  it('links a person by the e-mail the roster gives on their first message, and stores their chat', async () => {
    const res = await teams.message(alice, 'help');
    expect(res.status).toBe(200);
    const [reply] = connector.posted(alice.chat);
    expect(reply?.activityId).toBeDefined(); // a reply to the message, in the same chat
    expect(cardText(lastCard(connector, alice.chat))).toContain('new from:SA[/VA]');
    const linked = await deps.store.users.findUser({ email: EMAILS.alice });
    expect(linked?.identities.teams).toBe(alice.id);
    const [ref] = await database.db
      .select()
      .from(conversationRefs)
      .where(eq(conversationRefs.teamsUserId, alice.id));
    expect(ref?.reference).toMatchObject({
      serviceUrl: connector.serviceUrl,
      conversation: { id: alice.chat },
    });
  });

  it('does not let another Teams account giving the same e-mail act for a person already linked', async () => {
    await teams.message(other, 'list');
    const [reply] = connector.posted(other.chat);
    expect(JSON.stringify(reply?.body)).toContain(
      `This Teams account is not the one the bot knows for ${EMAILS.alice}, so it cannot act for them`,
    );
    expect(JSON.stringify(reply?.body)).not.toContain('AT-');
    expect((await deps.store.users.findUser({ email: EMAILS.alice }))?.identities.teams).toBe(alice.id);
  });

  it('welcomes the transferee when they install the app, by name and in their language', async () => {
    await teams.install(bob);
    await teams.message(cora, 'hello'); // the compliance officer has talked to the bot once too
    expect(connector.posted(bob.chat).map((r) => (r.body as { text?: string }).text)).toEqual([
      expect.stringContaining('Bonjour Bob Peeters'),
    ]);
  });

  it('takes a one-line request and answers with the transfer card and its Submit for Transfer button', async () => {
    const res = await teams.message(
      alice,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1,SN:FOC0002 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    expect(res.status).toBe(200);
    const card = lastCard(connector, alice.chat);
    const text = cardText(card);
    id = /Transaction (AT-[0-9A-Z]{8}) created/.exec(text)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(text).toContain('Pending Submission');
    expect(text).toContain('out of compliance'); // the in-use warning is shown
    expect(executeActions(card).map((a) => a.verb)).toEqual(['transfer_submit', 'transfer_cancel']);
  });

  it('submits from the card: the invoke answer is the updated card, without the stale button', async () => {
    const res = await teams.execute(alice, 'transfer_submit', { transactionId: id });
    expect(res.status).toBe(200);
    const body = res.body as CardBody;
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = body.value as AdaptiveCardJson;
    expect(card.version).toBe('1.5');
    expect(cardText(card)).toContain('Submitted – Awaiting Transferor/Transferee Consent');
    expect(executeActions(card)).toEqual([]);
    expect(await status()).toBe('awaiting_consent');
  });

  it('delivers the consent card to the transferee in Teams, in French, with a refresh for them', async () => {
    const summary = await deliver();
    expect(summary.unreachable).toBe(0);
    const card = lastCard(connector, bob.chat);
    expect(card.version).toBe('1.5');
    const actions = executeActions(card);
    expect(actions.map((a) => [a.verb, a.title])).toEqual([
      ['consent_approve', 'Approuver'],
      ['consent_reject', 'Rejeter'],
    ]);
    expect(actions[0]?.data).toEqual({ transactionId: id, decision: 'consent:transferee' });
    expect(JSON.stringify(card.body)).toContain('"id":"reason"');
    expect(card.refresh).toMatchObject({
      action: { type: 'Action.Execute', verb: 'refresh' },
      userIds: [bob.id],
    });
    // The requester heard the status change too.
    expect(cardText(lastCard(connector, alice.chat))).toContain(`Transaction ${id} is now`);
  });

  it('records the consent from the card and answers with the decided card (who, when)', async () => {
    const res = await teams.execute(bob, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferee',
    });
    const card = (res.body as CardBody).value as AdaptiveCardJson;
    expect(cardText(card)).toContain('Demande approuvée par Bob Peeters');
    expect(executeActions(card)).toEqual([]);
    expect(await status()).toBe('compliance_screening');
  });

  it('posts the compliance card to the compliance conversation and redraws the consent card everywhere', async () => {
    const before = connector.updates(bob.chat).length;
    await deliver();
    const compliance = lastCard(connector, COMPLIANCE_CONVERSATION);
    expect(executeActions(compliance).map((a) => a.verb)).toEqual([
      'compliance_approve',
      'compliance_reject',
    ]);
    expect(compliance.refresh?.userIds).toEqual([cora.id]);
    const updates = connector.updates(bob.chat);
    expect(updates.length).toBe(before + 1);
    const redrawn = (updates.at(-1)!.body as { attachments: { content: AdaptiveCardJson }[] }).attachments[0]!
      .content;
    expect(executeActions(redrawn)).toEqual([]);
    expect(cardText(redrawn)).toContain('Demande approuvée par Bob Peeters');
  });

  it('refuses a compliance reject without a reason, showing the error on the same live card', async () => {
    const res = await teams.execute(cora, 'compliance_reject', {
      transactionId: id,
      decision: 'compliance',
      reason: '  ',
    });
    const body = res.body as CardBody;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.value as AdaptiveCardJson;
    expect(cardText(card)).toContain('A reason is required to reject');
    expect(executeActions(card).map((a) => a.verb)).toEqual(['compliance_approve', 'compliance_reject']);
    expect(await status()).toBe('compliance_screening');
  });

  it('answers a refresh with the card as it stands for the person who opens it', async () => {
    const res = await teams.execute(bob, 'refresh', { transactionId: id, decision: 'consent:transferee' });
    const card = (res.body as CardBody).value as AdaptiveCardJson;
    expect(cardText(card)).toContain('Demande approuvée par Bob Peeters');
    expect(executeActions(card)).toEqual([]);
  });

  it('completes on the compliance approval and tells everyone, with every card closed', async () => {
    const res = await teams.execute(cora, 'compliance_approve', {
      transactionId: id,
      decision: 'compliance',
    });
    const card = (res.body as CardBody).value as AdaptiveCardJson;
    expect(cardText(card)).toContain('Approved by Cora Compliance');
    expect(await status()).toBe('transfer_completed');
    const updatesBefore = connector.updates(COMPLIANCE_CONVERSATION).length;
    await deliver();
    expect(connector.updates(COMPLIANCE_CONVERSATION).length).toBe(updatesBefore + 1);
    expect(cardText(lastCard(connector, alice.chat))).toContain('Transfer Completed');
    expect(cardText(lastCard(connector, bob.chat))).toContain('Transfert terminé');
  });

  it('shows the finished transaction with its history to the requester', async () => {
    await teams.message(alice, `show ${id.toLowerCase()}`);
    const text = cardText(lastCard(connector, alice.chat));
    expect(text).toContain(`Transaction ${id}`);
    expect(text).toContain('Transferred');
    expect(text).toContain('Compliance Screening → Transfer Initiated');
  });
});
