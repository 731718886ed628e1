import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startConsoleOnly } from '../../adapters/cli/start.js';
import { outbox } from '../../db/schema.js';
import { loadConfig } from '../../src/config.js';
import { msg } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

/** What a stream was given, as text. */
function collected(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

/**
 * The console on a database server, beside a bot that serves Slack or Teams: it must not take for itself
 * what the bot would deliver there (it treats everyone as reachable in its inbox).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('the console on a PostgreSQL server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it('leaves what the bot says to the platforms that serve people, and still shows it in the inbox', async () => {
    const deps = testDeps(database.db);
    const bob = await actor(database.db, 'bob');
    await deps.store.outbox.enqueue(new Date(), [
      {
        dedupeKey: 'console-on-server:1',
        recipientUserId: bob.userId,
        payload: { type: 'message', text: msg('core:reply.exported', { name: 'AT-SERVER1.xlsx' }) },
      },
    ]);
    const config = loadConfig({ DATABASE_URL: database.url! });
    if (!config.ok) throw new Error(config.errors.join('; '));
    const output = collected();
    const errors = collected();

    const code = await startConsoleOnly(config.config, 'bob@be.example', false, {
      input: Readable.from(['inbox\n']),
      output: output.stream,
      errors: errors.stream,
    });

    expect(code).toBe(0);
    expect(output.text()).toContain('AT-SERVER1.xlsx');
    expect(errors.text()).toContain('the console sends nothing itself');
    const [row] = await database.db.select().from(outbox).where(eq(outbox.dedupeKey, 'console-on-server:1'));
    expect(row).toMatchObject({ state: 'pending', deliveredTo: null });
  });

  it('says so in the language of the person it acts as, and names them as Japanese writes a person', async () => {
    const config = loadConfig({ DATABASE_URL: database.url! });
    if (!config.ok) throw new Error(config.errors.join('; '));
    const output = collected();
    const errors = collected();

    const code = await startConsoleOnly(config.config, 'cora@compliance.example', false, {
      input: Readable.from(['whoami\n']),
      output: output.stream,
      errors: errors.stream,
    });

    expect(code).toBe(0);
    expect(errors.text()).toContain('コンソール自体は何も送信しません。');
    expect(errors.text()).not.toContain('sends nothing');
    const acting = 'Cora Compliance（cora@compliance.example）として操作しています。';
    // Said on opening, and again to whoami.
    expect(output.text().split(acting).length - 1).toBe(2);
  });
});
