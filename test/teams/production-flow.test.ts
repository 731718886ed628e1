import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRefs } from '../../db/schema.js';
import { createStore } from '../../db/store.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions, type AdaptiveCardJson } from '../support/bot-connector.js';
import { APP, startProductionTeamsWorld, type ProductionTeamsWorld } from '../support/teams-production.js';
import { COMPLIANCE_CONVERSATION, teamsUser } from '../support/teams.js';
import { statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'fr-FR');
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);

type CardBody = { statusCode: number; type: string; value: AdaptiveCardJson };
type Attachment = { contentType: string; name?: string; content?: { acceptContext?: { offer: string } } };

/**
 * The whole consent flow with authentication on both sides: every activity carries a channel token, and
 * the Bot Connector stand-in refuses any call from the bot that lacks a token the identity provider issued
 * to this app (so a single unsigned call would break the flow here).
 */
describe('Teams in production: a transfer to another company, with tokens both ways', () => {
  let world: ProductionTeamsWorld;
  let id = '';

  const deliver = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
  const lastCard = (conversationId: string) => world.connector.cards(conversationId).at(-1)!.card;
  const attachments = (conversationId: string): Attachment[] =>
    world.connector
      .posted(conversationId)
      .flatMap((r) => (r.body as { attachments?: Attachment[] }).attachments ?? []);

  beforeAll(async () => {
    world = await startProductionTeamsWorld('pglite', [alice, bob, cora]);
    // The inventory knows Bob's Teams id; he has never written to the bot.
    const store = createStore(world.database.db);
    const person = (await store.users.findUser({ email: EMAILS.bob }))!;
    await store.users.linkIdentity(person.id, 'teams', bob.id);
  });
  afterAll(() => world?.close());

  it('takes the request and the submission from signed activities', async () => {
    await world.teams.message(cora, 'hello');
    const res = await world.teams.message(
      alice,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    expect(res.status).toBe(200);
    id = /Transaction (AT-[0-9A-Z]{8}) created/.exec(cardText(lastCard(alice.chat)))?.[1] ?? '';
    expect(id).not.toBe('');
    const submitted = await world.teams.execute(alice, 'transfer_submit', { transactionId: id });
    expect((submitted.body as CardBody).statusCode).toBe(200);
    expect(await statusOf(world.database.db, id)).toBe('awaiting_consent');
  });

  it('opens a chat with the transferee who never wrote, and sends the consent card there', async () => {
    const summary = await deliver();
    expect(summary.unreachable).toBe(0);
    const opened = world.connector.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v3/conversations',
    );
    expect(opened.map((r) => (r.body as { members: { id: string }[] }).members[0]!.id)).toEqual([bob.id]);
    expect(executeActions(lastCard(bob.chat)).map((a) => a.verb)).toEqual([
      'consent_approve',
      'consent_reject',
    ]);
    expect(
      await world.database.db.select().from(conversationRefs).where(eq(conversationRefs.teamsUserId, bob.id)),
    ).toHaveLength(1);
  });

  it('records the consent from the card, then posts to compliance and redraws the consent card', async () => {
    const res = await world.teams.execute(bob, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferee',
    });
    expect(cardText((res.body as CardBody).value)).toContain('Demande approuvée par Bob Peeters');
    expect(await statusOf(world.database.db, id)).toBe('compliance_screening');
    await deliver();
    expect(executeActions(lastCard(COMPLIANCE_CONVERSATION)).map((a) => a.verb)).toEqual([
      'compliance_approve',
      'compliance_reject',
    ]);
    expect(world.connector.updates(bob.chat)).toHaveLength(1);
  });

  it('completes on the compliance approval and updates the compliance card in place', async () => {
    const res = await world.teams.execute(cora, 'compliance_approve', {
      transactionId: id,
      decision: 'compliance',
    });
    expect(cardText((res.body as CardBody).value)).toContain('Approved by Cora Compliance');
    await deliver();
    expect(await statusOf(world.database.db, id)).toBe('transfer_completed');
    const updated = world.connector.updates(COMPLIANCE_CONVERSATION);
    expect(updated).toHaveLength(1);
    expect(
      executeActions((updated[0]!.body as { attachments: { content: unknown }[] }).attachments[0]!.content),
    ).toEqual([]);
  });

  it('hands over the export through file consent: the upload goes without the bot’s token, the file card with it', async () => {
    await world.teams.message(alice, `export ${id}`);
    const offer = attachments(alice.chat)
      .filter((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')
      .at(-1)!;
    const accepted = await world.teams.invoke(alice, 'fileConsent/invoke', {
      type: 'fileUpload',
      action: 'accept',
      context: offer.content!.acceptContext,
      uploadInfo: {
        name: `${id}.xlsx`,
        uploadUrl: `${world.connector.serviceUrl}upload/${id}.xlsx`,
        contentUrl: 'https://onedrive.example/file',
        uniqueId: 'u-1',
        fileType: 'xlsx',
      },
    });
    expect(accepted.status).toBe(200);
    const upload = world.connector.requests.find(
      (r) => r.method === 'PUT' && r.path === `/upload/${id}.xlsx`,
    );
    expect(upload?.raw.subarray(0, 2).toString()).toBe('PK');
    expect(upload?.authorization).toBeUndefined(); // the OneDrive URL is not the Bot Connector's to receive it
    expect(attachments(alice.chat).at(-1)).toMatchObject({
      contentType: 'application/vnd.microsoft.teams.card.file.info',
      name: `${id}.xlsx`,
    });
  });

  it('signed every call to the Bot Connector with one token, asked for once', async () => {
    const calls = world.connector.requests.filter((r) => !r.path.startsWith('/upload/'));
    expect(calls.length).toBeGreaterThan(15);
    const unsigned = calls.filter((r) => !world.idp.botTokenClaims(r.authorization, APP.appId));
    expect(unsigned).toEqual([]);
    expect(world.idp.tokenRequests).toHaveLength(1);
  });
});
