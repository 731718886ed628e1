import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_SERVER, startConsoleOnly } from '../../adapters/cli/start.js';
import { servedPlatforms, smartAccounts, users } from '../../db/schema.js';
import { loadConfig } from '../../src/config.js';
import { killAll, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

/**
 * An operator's empty PostgreSQL database: the bot never fills it with the demo's made-up companies and
 * privileged people (an import, which never deletes, could not take them away); it says to import.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('an empty PostgreSQL database', () => {
  let database: TestDatabase;
  let slack: SlackApiStandIn;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    slack = await startSlackApi();
  });
  afterAll(async () => {
    killAll(bots);
    await slack.close();
    await database.dispose();
  });

  const inventory = async () => ({
    people: (await database.db.select().from(users)).length,
    smartAccounts: (await database.db.select().from(smartAccounts)).length,
  });

  it('`start` with Slack loads nothing and warns to import the inventory (and how to try the demo)', async () => {
    const bot = await startBotProcess({
      DATABASE_URL: database.url!,
      SLACK_BOT_TOKEN: 'xoxb-test-token-not-real-000',
      SLACK_SIGNING_SECRET: 'test-signing-secret-not-real-000',
      SLACK_API_URL: slack.apiUrl,
    });
    bots.push(bot);
    bot.child.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
    expect(bot.logs()).not.toContain('demo inventory loaded');
    expect(bot.logs()).toContain('transfer-bot import data/demo-inventory.json');
    const warning = bot
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((entry) => entry.msg === EMPTY_SERVER);
    expect(warning?.level).toBe(40);
    expect(await inventory()).toEqual({ people: 0, smartAccounts: 0 });
    // Served on Slack: from now on, what a process without Slack would take waits for it (jobs-waiting.test.ts).
    expect(await database.db.select({ platform: servedPlatforms.platform }).from(servedPlatforms)).toEqual([
      { platform: 'slack' },
    ]);
  }, 120_000);

  it('the console loads nothing either, and says to import the inventory', async () => {
    const config = loadConfig({ DATABASE_URL: database.url! });
    if (!config.ok) throw new Error(config.errors.join('; '));
    const errors = new PassThrough();
    let said = '';
    errors.on('data', (chunk: Buffer) => (said += chunk.toString()));

    const code = await startConsoleOnly(config.config, undefined, true, {
      input: Readable.from(['help\n']),
      output: new PassThrough(),
      errors,
    });

    expect(code).toBe(1);
    expect(said).toContain(`transfer-bot: ${EMPTY_SERVER}`);
    expect(await inventory()).toEqual({ people: 0, smartAccounts: 0 });
  });
});
