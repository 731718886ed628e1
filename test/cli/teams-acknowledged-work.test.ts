import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { killAll, pollUntil, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { BOT, TENANT } from '../support/teams.js';

/** `transfer-bot start` with Teams only (no app ID, local testing), on the embedded database in `dataDir`. */
function startBot(dataDir: string): Promise<BotProcess> {
  return startBotProcess({ DATA_DIR: dataDir, TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
}

let people = 0;

/** `help` typed by a person of their own in their own chat; returns the HTTP status and that chat's id. */
async function typed(bot: BotProcess, connector: BotConnector): Promise<{ status: number; chat: string }> {
  const n = ++people;
  const user = { id: `29:new-${n}`, name: `Newcomer ${n}` };
  const chat = `a:chat-new-${n}`;
  const res = await fetch(`${bot.base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `in-${n}`,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      locale: 'en-US',
      from: user,
      recipient: BOT,
      conversation: { id: chat, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      text: 'help',
    }),
  });
  return { status: res.status, chat };
}

function allAnswered(connector: BotConnector, chats: string[], timeoutMs: number): Promise<void> {
  return pollUntil(
    () => chats.every((chat) => connector.posted(chat).length > 0),
    timeoutMs,
    () => 'some messages were never answered',
  );
}

describe('typed Teams commands survive the process that acknowledged them (embedded database)', () => {
  let dir: string;
  let connector: BotConnector;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-bot-teams-acked-'));
    connector = await startBotConnector();
  });

  afterAll(async () => {
    killAll(bots);
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('killed with SIGKILL after the 200: the next process to start answers every message, once', async () => {
    const first = await startBot(join(dir, 'data'));
    bots.push(first);
    // Asking Teams who each person is hangs: the messages got their 200, and their answers are not sent.
    connector.slowRoster(60_000);
    const started = Date.now();
    const sent = await Promise.all(Array.from({ length: 5 }, () => typed(first, connector)));
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    // The 200 waits for the record only, not for the answer.
    expect(Date.now() - started).toBeLessThan(5_000);
    first.child.kill('SIGKILL');
    await first.exit;
    const chats = sent.map((s) => s.chat);
    expect(chats.map((chat) => connector.posted(chat).length)).toEqual([0, 0, 0, 0, 0]);

    connector.slowRoster(0);
    const second = await startBot(join(dir, 'data'));
    bots.push(second);
    await allAnswered(connector, chats, 30_000);
    // Give a second answer, if any were coming, the time to arrive.
    await new Promise((r) => setTimeout(r, 1500));
    expect(chats.map((chat) => connector.posted(chat).length)).toEqual([1, 1, 1, 1, 1]);
    // Each answer is a reply to the message it answers.
    expect(chats.map((chat) => connector.posted(chat)[0]?.activityId)).toEqual(
      chats.map((_, i) => `in-${i + 1}`),
    );
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 300_000);
});
