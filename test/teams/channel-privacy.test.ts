import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRefs } from '../../db/schema.js';
import { requestTransfer } from '../../src/app/request.js';
import { cardText, type BotConnector } from '../support/bot-connector.js';
import type { TestDatabase } from '../support/db.js';
import { startTeamsWorld, teamsUser, type TeamsClient, type TeamsWorld } from '../support/teams.js';
import { statusOf, toParis } from '../support/transfers.js';
import { actor, EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const carol = teamsUser('carol', 'Carol Dubois', EMAILS.carol, 'fr-FR');
const CHANNEL = '19:team@thread.tacv2;messageid=1700000000001';

function texts(connector: BotConnector, conversationId: string): string[] {
  return connector.posted(conversationId).map((r) => (r.body as { text?: string }).text ?? '');
}

function cardsText(connector: BotConnector, conversationId: string): string {
  return connector
    .cards(conversationId)
    .map((c) => cardText(c.card))
    .join('\n');
}

describe('Teams: what a command typed in a channel shows, and where', () => {
  let world: TeamsWorld;
  let database: TestDatabase;
  let connector: BotConnector;
  let teams: TeamsClient;
  let id = '';

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice, bob, carol]);
    ({ database, connector, teams } = world);
    const requested = await requestTransfer(
      world.deps,
      await actor(database.db, 'alice', 'teams'),
      toParis('SO:100-2'),
    );
    if (!requested.ok) throw new Error('request refused');
    id = requested.value.state.id;
  });
  afterAll(() => world?.close());

  it('sends a transaction asked for in a channel to the person’s own chat, and tells the channel only that', async () => {
    await teams.message(alice, 'help'); // the bot has Alice's own chat
    const before = connector.posted(alice.chat).length;
    await teams.message(alice, `<at>Asset Transfer Bot</at> show ${id}`, { channel: CHANNEL });
    expect(connector.posted(alice.chat)).toHaveLength(before + 1);
    expect(cardsText(connector, alice.chat)).toContain(EMAILS.alice);
    expect(connector.cards(CHANNEL)).toEqual([]);
    expect(texts(connector, CHANNEL)).toEqual(['I answered you in our one-to-one chat.']);
  });

  it('opens the one-to-one chat of someone who never wrote to the bot for the landing page asked for in a channel', async () => {
    await teams.message(bob, '<at>Asset Transfer Bot</at> list', { channel: CHANNEL });
    expect(
      connector.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations').at(-1)?.body,
    ).toMatchObject({ isGroup: false, members: [{ id: bob.id }] });
    expect(cardsText(connector, bob.chat)).toContain('Your transactions');
    expect(connector.cards(CHANNEL)).toEqual([]);
    expect(texts(connector, CHANNEL).at(-1)).toBe('I answered you in our one-to-one chat.');
    const stored = await database.db.select().from(conversationRefs).orderBy(conversationRefs.teamsUserId);
    expect(stored.map((row) => (row.reference as { conversation: { id: string } }).conversation.id)).toEqual([
      alice.chat,
      bob.chat,
    ]);
  });

  it('says in the person’s language that the answer was sent privately, or that it cannot be, without the data', async () => {
    connector.notInstalled.add(carol.id);
    await teams.message(carol, `<at>Asset Transfer Bot</at> list`, { channel: CHANNEL });
    expect(texts(connector, CHANNEL).at(-1)).toBe(
      'Je ne réponds à cela que dans notre conversation privée, et je ne peux pas vous y joindre\u00a0: ouvrez une conversation avec moi (Asset Transfer Bot) et redemandez-le là.',
    );
    expect(connector.posted(carol.chat)).toEqual([]);
    connector.notInstalled.delete(carol.id);
    await teams.message(carol, `<at>Asset Transfer Bot</at> show ${id}`, { channel: CHANNEL });
    expect(cardsText(connector, carol.chat)).toContain(id);
    expect(texts(connector, CHANNEL).at(-1)).toBe('Je vous ai répondu dans notre conversation privée.');
    expect(connector.cards(CHANNEL)).toEqual([]);
  });

  it('answers help in the channel itself', async () => {
    const before = { chat: connector.posted(alice.chat).length, channel: connector.cards(CHANNEL).length };
    await teams.message(alice, '<at>Asset Transfer Bot</at> help', { channel: CHANNEL });
    expect(connector.cards(CHANNEL)).toHaveLength(before.channel + 1);
    expect(cardsText(connector, CHANNEL)).toContain('show');
    expect(connector.posted(alice.chat)).toHaveLength(before.chat);
  });

  it('tells the channel a change typed there was done when the person’s own chat cannot be opened, without its data', async () => {
    // The bot has no chat with Alice any more, and Teams refuses to open one.
    await database.db.delete(conversationRefs).where(eq(conversationRefs.teamsUserId, alice.id));
    connector.failNext({ status: 403, match: (r) => r.method === 'POST' && r.path === '/v3/conversations' });
    const before = { chat: connector.posted(alice.chat).length, channel: connector.posted(CHANNEL).length };
    await teams.message(alice, `<at>Asset Transfer Bot</at> submit ${id}`, { channel: CHANNEL });

    expect(connector.requests.filter((r) => r.refusedWith === 403)).toHaveLength(1);
    expect(await statusOf(database.db, id)).not.toBe('pending_submission');
    const told = connector.posted(CHANNEL).slice(before.channel);
    expect(told.map((r) => (r.body as { text?: string }).text)).toEqual([
      'Done, but I show the result only in our one-to-one chat, and I cannot reach you there: open a chat with me (Asset Transfer Bot) and type list to see it. There is no need to do it again.',
    ]);
    // Nothing of the transaction reaches the channel: no card, no id, no status, no asset.
    expect(told.flatMap((r) => (r.body as { attachments?: unknown[] }).attachments ?? [])).toEqual([]);
    const said = JSON.stringify(told.map((r) => r.body));
    for (const secret of [id, 'SO:100-2', EMAILS.alice, 'Submitted']) expect(said).not.toContain(secret);
    expect(connector.posted(alice.chat)).toHaveLength(before.chat);
  });
});
