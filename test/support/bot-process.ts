import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { BotConnector } from './bot-connector.js';
import { BOT, TENANT } from './teams.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'transfer-bot.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `transfer-bot start`, run as an operator runs it. */
export interface BotProcess {
  child: ChildProcess;
  base: string;
  exit: Promise<number | null>;
  logs: () => string;
}

/** Starts `transfer-bot start` with `env` (beside PATH, HOME, PORT and HOST) and waits for /healthz. */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  let logs = '';
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}: ${logs}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the bot never answered /healthz');
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, base, exit, logs: () => logs };
}

/** Teams only, without an app ID (local testing). */
export const TEAMS_ONLY = { TEAMS_ALLOW_UNAUTHENTICATED: 'true' };

let people = 0;

/**
 * `help` typed in Teams by a person of their own, in their own chat: the HTTP status, that chat's id and
 * the id of the message typed.
 */
export async function typedInTeams(
  bot: BotProcess,
  connector: BotConnector,
): Promise<{ status: number; chat: string; id: string }> {
  const n = ++people;
  const user = { id: `29:new-${n}`, name: `Newcomer ${n}` };
  const chat = `a:chat-new-${n}`;
  const id = `in-${n}`;
  const res = await fetch(`${bot.base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id,
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
  return { status: res.status, chat, id };
}

/** Waits until every chat has had an answer. */
export async function allAnsweredInTeams(
  connector: BotConnector,
  chats: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (chats.some((chat) => connector.posted(chat).length === 0)) {
    if (Date.now() > deadline) throw new Error('some messages were never answered');
    await new Promise((r) => setTimeout(r, 100));
  }
}
