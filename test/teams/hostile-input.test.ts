import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { MAX_MESSAGE_LENGTH } from '../../src/text/input-check.js';
import { databaseSnapshot, requestsOf } from '../support/snapshot.js';
import { startTeamsWorld, teamsUser, type TeamsWorld } from '../support/teams.js';
import { awaitingConsent, statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice, 'fr-FR');
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

const character = (locale: 'en' | 'fr', name: string) =>
  translate(locale, 'input:error.character', { character: name });

describe('Teams: hostile text in messages and card data', () => {
  let world: TeamsWorld;
  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice, bob]);
    // Bob has written before: his chat is stored, so the bot can answer him and nothing new is stored.
    await world.teams.message(bob, 'help');
  });
  afterAll(() => world?.close());

  const lastSaid = (user: typeof alice) =>
    (world.connector.posted(user.chat).at(-1)?.body as { text?: string } | undefined)?.text;

  it('answers 300 KB of "<a " with "too long" while /healthz stays responsive, storing nothing', async () => {
    const before = await databaseSnapshot(world.database.db);
    const health = `${world.bot.url.replace('/api/messages', '')}/healthz`;
    const [res, healthz] = await Promise.all([
      world.teams.message(bob, '<a '.repeat(100_000)),
      // Sent just after: with a reader that backtracks, it would wait behind the message for seconds.
      new Promise<Response>((resolve, reject) => setImmediate(() => fetch(health).then(resolve, reject))),
    ]);
    expect(res.status).toBe(200);
    expect(healthz.status).toBe(200);
    expect(lastSaid(bob)).toBe(
      translate('en', 'input:error.tooLong', { length: 300_000, max: MAX_MESSAGE_LENGTH }),
    );
    expect(await databaseSnapshot(world.database.db)).toEqual(before);
  });

  it('answers a message that carries a dozen pasted images, as it answers any other', async () => {
    const image = { contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/i.png' };
    const before = world.connector.posted(bob.chat).length;
    await world.teams.message(bob, 'help', { attachments: Array.from({ length: 12 }, () => image) });
    expect(world.connector.posted(bob.chat).length).toBe(before + 1);
    // More than the bot reads (64): answered too, not dropped as a message it does not understand.
    await world.teams.message(bob, 'help', { attachments: Array.from({ length: 200 }, () => image) });
    expect(world.connector.posted(bob.chat).length).toBe(before + 2);
  });

  it('answers `accounts &#99999999;` naming the reference, not with "something went wrong"', async () => {
    await world.teams.message(bob, 'accounts &#99999999;');
    expect(lastSaid(bob)).toBe(character('en', '&#99999999;'));
  });

  it.each([
    ['a NUL', 'accounts lumi\u0000ere', 'U+0000'],
    ['a NUL written as a reference', 'accounts lumi&#0;ere', 'U+0000'],
    ['a lone surrogate', 'new justification:"\uD83D"', 'U+D83D'],
    ['a noncharacter', 'list \uFFFF', 'U+FFFF'],
  ])('refuses %s in a message in the person’s language, and stores nothing', async (_what, text, name) => {
    const before = await databaseSnapshot(world.database.db);
    // Alice has never written: even her conversation reference is not stored on a refused message.
    await world.teams.message(alice, text);
    expect(lastSaid(alice)).toBe(character('fr', name));
    expect(await databaseSnapshot(world.database.db)).toEqual(before);
  });

  it('refuses a reject whose reason holds a NUL: the card answer says so, the transfer waits', async () => {
    const id = await awaitingConsent(world.deps, 'SO:100-1');
    const before = await databaseSnapshot(world.database.db);
    const res = await world.teams.execute(bob, 'consent_reject', {
      transactionId: id,
      decision: 'consent:transferee',
      reason: 'not\u0000now',
    });
    expect(res.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: character('en', 'U+0000'),
    });
    expect(await databaseSnapshot(world.database.db)).toEqual(before);
    expect(await statusOf(world.database.db, id)).toBe('awaiting_consent');
  });

  it('refuses a dialog step whose data holds a lone surrogate, inside the dialog', async () => {
    const before = await databaseSnapshot(world.database.db);
    const res = await world.teams.invoke(bob, 'task/submit', {
      data: { step: 'source', source: 'be.example\uDFFF' },
    });
    expect(res.body).toEqual({ task: { type: 'message', value: character('en', 'U+DFFF') } });
    expect(await databaseSnapshot(world.database.db)).toEqual(before);
  });

  it('closes a dialog whose card data is not a step of the request form, saying to start again', async () => {
    const before = await requestsOf(world.database.db);
    const res = await world.teams.invoke(bob, 'task/submit', { data: { wizard: 42, go: 'submit' } });
    expect(res.body).toEqual({
      task: {
        type: 'message',
        value: 'This form can no longer be read. Close it and start again from the card or the command.',
      },
    });
    expect(await requestsOf(world.database.db)).toEqual(before);
  });

  it('refuses card data longer than any message, inside the dialog', async () => {
    const res = await world.teams.invoke(bob, 'task/submit', {
      data: { step: 'form', justification: 'j'.repeat(MAX_MESSAGE_LENGTH + 1) },
    });
    expect(res.body).toEqual({
      task: {
        type: 'message',
        value: translate('en', 'input:error.tooLong', {
          length: MAX_MESSAGE_LENGTH + 1,
          max: MAX_MESSAGE_LENGTH,
        }),
      },
    });
  });

  it('refuses a forged display name with a NUL before storing the conversation', async () => {
    const before = await databaseSnapshot(world.database.db);
    await world.teams.message({ ...alice, name: 'Alice\u0000' }, 'help');
    expect(lastSaid(alice)).toBe(character('fr', 'U+0000'));
    expect(await databaseSnapshot(world.database.db)).toEqual(before);
  });
});
