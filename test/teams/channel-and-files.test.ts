// First, as in a bot that serves Slack too (Slack's adapter loads before Teams'): Bolt's Socket Mode client
// brings a newer HTTP client, which on Node 20 becomes the dispatcher of the process's fetch when it loads
// before anything has used fetch, and refused a file upload's own Content-Length.
import '@slack/bolt';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelTargets, userTarget } from '../../src/delivery/targets.js';
import { conversationRefs } from '../../db/schema.js';
import { DeliveryError } from '../../src/app/delivery-port.js';
import { exportWorkbook } from '../../src/app/export.js';
import { requestTransfer } from '../../src/app/request.js';
import { cardText, type BotConnector } from '../support/bot-connector.js';
import type { TestDatabase } from '../support/db.js';
import {
  startTeamsWorld,
  teamsUser,
  type RunningBot,
  type TeamsClient,
  type TeamsWorld,
} from '../support/teams.js';
import { toParis } from '../support/transfers.js';
import { actor, EMAILS, testDeps } from '../support/world.js';
import { msg } from '../../src/i18n/index.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const CHANNEL = '19:general@thread.tacv2;messageid=1700000000000';

type Attachment = {
  contentType: string;
  name?: string;
  contentUrl?: string;
  content?: { acceptContext?: { offer: string }; sizeInBytes?: number; uniqueId?: string };
};

function attachments(connector: BotConnector, conversationId: string): Attachment[] {
  return connector
    .posted(conversationId)
    .flatMap((r) => (r.body as { attachments?: Attachment[] }).attachments ?? []);
}

function texts(connector: BotConnector, conversationId: string): string[] {
  return connector.posted(conversationId).map((r) => (r.body as { text?: string }).text ?? '');
}

describe('Teams: channels and files', () => {
  let world: TeamsWorld;
  let database: TestDatabase;
  let connector: BotConnector;
  let bot: RunningBot;
  let teams: TeamsClient;
  let id = '';

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice, bob]);
    ({ database, connector, bot, teams } = world);
    const requested = await requestTransfer(
      world.deps,
      await actor(database.db, 'alice', 'teams'),
      toParis('SO:100-2'),
    );
    if (!requested.ok) throw new Error('request refused');
    id = requested.value.state.id;
  });
  afterAll(() => world?.close());

  it('reads a command after the @mention in a channel and answers in the person’s own chat, storing no channel as a chat', async () => {
    const res = await teams.message(alice, '<p><at>Asset Transfer Bot</at>&nbsp;list fr-a.example</p>', {
      channel: CHANNEL,
    });
    expect(res.status).toBe(200);
    const [notice] = connector.posted(CHANNEL);
    expect(notice?.activityId).toBeDefined(); // a reply in the thread
    expect(texts(connector, CHANNEL)).toEqual(['I answered you in our one-to-one chat.']);
    expect(cardText(connector.cards(alice.chat).at(-1)!.card)).toContain(id);
    const stored = await database.db.select().from(conversationRefs);
    expect(stored.map((row) => (row.reference as { conversation: { id: string } }).conversation.id)).toEqual([
      alice.chat,
    ]);
  });

  it('sends a file from a channel to the person’s own chat, or says how to get one', async () => {
    await database.db.delete(conversationRefs);
    connector.notInstalled.add(alice.id);
    await teams.message(alice, `<at>Asset Transfer Bot</at> export ${id}`, { channel: CHANNEL });
    expect(texts(connector, CHANNEL).at(-1)).toContain('open a chat with me');
    connector.notInstalled.delete(alice.id);
    await teams.message(alice, 'help'); // now the bot has Alice's own chat
    await teams.message(alice, `<at>Asset Transfer Bot</at> export ${id}`, { channel: CHANNEL });
    expect(texts(connector, CHANNEL).at(-1)).toMatch(
      new RegExp(`^I sent ${id}[^ ]*\\.xlsx to our one-to-one chat`),
    );
    expect(
      attachments(connector, alice.chat).filter(
        (a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent',
      ),
    ).toHaveLength(1);
  });

  it('uploads the export to the URL Teams gives once the person accepts, then posts the file card', async () => {
    await teams.message(alice, `export ${id}`);
    const offer = attachments(connector, alice.chat)
      .filter((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')
      .at(-1)!;
    expect(offer.name).toMatch(new RegExp(`^${id}.*\\.xlsx$`));
    expect(offer.content?.sizeInBytes).toBeGreaterThan(1000);
    const uploadUrl = `${connector.serviceUrl}upload/${id}.xlsx`;
    const accept = () =>
      teams.invoke(alice, 'fileConsent/invoke', {
        type: 'fileUpload',
        action: 'accept',
        context: offer.content!.acceptContext,
        uploadInfo: {
          name: `${id}.xlsx`,
          uploadUrl,
          contentUrl: 'https://onedrive.example/file',
          uniqueId: 'u-1',
          fileType: 'xlsx',
        },
      });
    const res = await accept();
    expect(res.status).toBe(200);
    const upload = connector.requests.find((r) => r.method === 'PUT' && r.path === `/upload/${id}.xlsx`);
    expect(upload?.raw.subarray(0, 2).toString()).toBe('PK'); // an xlsx is a zip
    const size = offer.content!.sizeInBytes!;
    expect(upload?.raw.length).toBe(size);
    expect(upload?.range).toEqual({ length: String(size), range: `bytes 0-${size - 1}/${size}` });
    const info = attachments(connector, alice.chat).at(-1)!;
    expect(info).toMatchObject({
      contentType: 'application/vnd.microsoft.teams.card.file.info',
      contentUrl: 'https://onedrive.example/file',
      name: `${id}.xlsx`,
      content: { uniqueId: 'u-1' },
    });
    // Delivered: the bot's copy is gone from the export folder.
    expect(existsSync(join(world.deps.config.exportDir, offer.name!))).toBe(false);
    // The same card accepted again: told the file is no longer kept here, not that saving it failed.
    const puts = connector.requests.filter((r) => r.method === 'PUT').length;
    await accept();
    expect(connector.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
    const told = connector.posted(alice.chat).at(-1)?.body as { text?: string };
    expect(told.text).toBe(
      `${offer.name!} is no longer kept here: it was saved to your OneDrive already, or kept past its time. Ask for the export again if you need it.`,
    );
  });

  it('refuses an accepted offer that was not for this person, or was tampered with, and uploads nothing', async () => {
    const offer = attachments(connector, alice.chat)
      .filter((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')
      .at(-1)!;
    const token = offer.content!.acceptContext!.offer;
    const uploads = () => connector.requests.filter((r) => r.path.startsWith('/upload/')).length;
    const before = uploads();
    const accept = (user: typeof alice, offerToken: string) =>
      teams.invoke(user, 'fileConsent/invoke', {
        type: 'fileUpload',
        action: 'accept',
        context: { offer: offerToken },
        uploadInfo: {
          name: 'x.xlsx',
          uploadUrl: `${connector.serviceUrl}upload/stolen.xlsx`,
          contentUrl: 'https://x',
          uniqueId: 'u',
        },
      });
    await accept(bob, token);
    expect(texts(connector, bob.chat).at(-1)).toContain('not valid for you');
    const [body, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), p: '/etc/passwd' }),
    ).toString('base64url');
    await accept(alice, `${forged}.${signature}`);
    expect(texts(connector, alice.chat).at(-1)).toContain('not valid for you');
    expect(uploads()).toBe(before);
  });

  it('offers a file the delivery worker hands over in the person’s own chat, never in a channel', async () => {
    const deps = testDeps(database.db);
    const exported = await exportWorkbook(deps, await actor(database.db, 'alice'), {
      kind: 'transaction',
      transactionId: id,
    });
    if (!exported.ok) throw new Error('export refused');
    const sender = bot.adapter.sender;
    const aliceRow = (await deps.store.users.findUser({ email: EMAILS.alice }))!;
    const to = (await userTarget([sender], aliceRow, 'UTC'))!.address;
    const title = msg('teams:file.declined', { name: 'x' });
    await sender.sendFile(to, { ...exported.value, title });
    const offer = attachments(connector, alice.chat).at(-1)!;
    expect(offer).toMatchObject({
      contentType: 'application/vnd.microsoft.teams.card.file.consent',
      name: exported.value.name,
    });
    const [channel] = channelTargets([sender], 'compliance', { defaultTimeZone: 'UTC' }).map(
      (target) => target.address,
    );
    if (!channel) throw new Error('no compliance conversation');
    const refused = (await sender
      .sendFile(channel, { ...exported.value, title })
      .catch((e: unknown) => e)) as DeliveryError;
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused.options).toEqual({ permanent: true });
  });

  it('says so when the person declines the file', async () => {
    const offer = attachments(connector, alice.chat)
      .filter((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')
      .at(-1)!;
    await teams.invoke(alice, 'fileConsent/invoke', {
      type: 'fileUpload',
      action: 'decline',
      context: offer.content!.acceptContext,
    });
    expect(texts(connector, alice.chat).at(-1)).toBe(`${offer.name} was not saved.`);
  });

  it('switches the landing page to another Smart Account from its menu', async () => {
    await teams.message(alice, 'list');
    const landing = connector.cards(alice.chat).at(-1)!.card;
    const menu = JSON.stringify(landing.body);
    expect(menu).toContain('"id":"useAccount"');
    expect(menu).toContain('"value":"be.example"');
    await teams.message(alice, '', { value: { command: 'use', useAccount: 'be.example' } });
    expect(texts(connector, alice.chat).at(-2)).toBe('Current Smart Account: Lumière Belgique (be.example).');
    const switched = connector.cards(alice.chat).at(-1)!.card;
    expect(cardText(switched)).toContain('Transactions of be.example');
    expect(cardText(switched)).not.toContain(id); // that transfer is between the two French sites
    await teams.message(alice, '', { value: { command: 'use', useAccount: 'nowhere.example' } });
    // Whether a domain exists is not told to someone who does not administer it.
    expect(texts(connector, alice.chat).at(-1)).toMatch(
      /^You are not an admin of the Smart Account nowhere\.example/,
    );
  });

  it('answers a mistyped command with what was wrong, in the person’s language', async () => {
    const french = { ...alice, locale: 'fr-FR' };
    await teams.message(french, 'shwo AT-1');
    expect(texts(connector, alice.chat).at(-1)).toMatch(/^Je ne connais pas la commande «\s?shwo\s?»/u);
    const [row] = await database.db
      .select()
      .from(conversationRefs)
      .where(eq(conversationRefs.teamsUserId, alice.id));
    expect(row?.reference).toMatchObject({ locale: 'fr-FR' });
  });
});
