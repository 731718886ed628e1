import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import {
  allAnsweredInTeams,
  startBotProcess,
  TEAMS_ONLY,
  typedInTeams,
  type BotProcess,
} from '../support/bot-process.js';
import { startProxiedDatabase } from '../support/proxied-database.js';

// On the embedded database, Teams and Slack are proven together, by the same processes: acknowledged-work.test.ts.
describe('typed Teams commands survive the process that acknowledged them (PostgreSQL)', () => {
  let dir: string;
  let connector: BotConnector;
  const bots: BotProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const bot = await startBotProcess({ ...TEAMS_ONLY, ...env });
    bots.push(bot);
    return bot;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-bot-teams-acked-'));
    connector = await startBotConnector();
  });

  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'acknowledged while PostgreSQL is out of reach, then killed with SIGKILL: once it is back, the next process answers, once',
    async () => {
      const database = await startProxiedDatabase();
      try {
        const dataDir = join(dir, 'spooled');
        const env = { DATABASE_URL: database.proxiedUrl, DATA_DIR: dataDir };
        const first = await start(env);
        await database.proxy.cut();
        const sent = await Promise.all(Array.from({ length: 3 }, () => typedInTeams(first, connector)));
        expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
        first.child.kill('SIGKILL');
        await first.exit;
        const chats = sent.map((s) => s.chat);
        expect(chats.map((chat) => connector.posted(chat).length)).toEqual([0, 0, 0]);

        await database.proxy.restore();
        const second = await start(env);
        await allAnsweredInTeams(connector, chats, 30_000);
        // Stopped, it has finished whatever it still had in hand: one answer each, to its message.
        second.child.kill('SIGTERM');
        expect(await second.exit).toBe(0);
        expect(chats.map((chat) => connector.posted(chat).map((r) => r.activityId))).toEqual(
          sent.map((s) => [s.id]),
        );
        // Recorded, they wait on disk no more.
        const spool = join(dataDir, 'teams-waiting.jsonl');
        expect(existsSync(spool) ? readFileSync(spool, 'utf8') : '').toBe('');

        // Started again and stopped, nothing is answered twice.
        const third = await start(env);
        third.child.kill('SIGTERM');
        expect(await third.exit).toBe(0);
        expect(chats.map((chat) => connector.posted(chat).length)).toEqual([1, 1, 1]);
      } finally {
        await database.close();
      }
    },
    300_000,
  );
});
