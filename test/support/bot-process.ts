import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import type { BotConnector } from './bot-connector.js';
import { BIN, COMMAND_FLAGS } from './cli.js';
import { copyEmbeddedTemplate } from './db.js';
import { sign, startSlackApi, type SlackApiStandIn } from './slack-api.js';
import { BOT, TENANT } from './teams-ids.js';

/** A port nobody listens on at the moment of asking (the benchmarks' own helper). */
export { freePort } from '../../bench/support/processes.js';
import { freePort } from '../../bench/support/processes.js';

export type StartedProcess = ChildProcessByStdio<null, Readable, Readable>;

/** `transfer-bot start` as an operator runs it: nothing from the test runner's environment beyond PATH and HOME. */
export function spawnStart(env: Record<string, string>): StartedProcess {
  return spawn(process.execPath, [...COMMAND_FLAGS, BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface BotProcess {
  child: StartedProcess;
  /** `http://127.0.0.1:<port>`, where it serves /healthz, /slack/events and /api/messages. */
  base: string;
  /** Resolves with the exit code once the process has ended. */
  exit: Promise<number | null>;
  /** Everything it wrote to standard output and error so far. */
  logs(): string;
}

/** What the bot logs (at info) once it serves HTTP and its scheduler runs: the moment to send it work. */
const RUNNING = 'Asset Transfer Bot running';

/**
 * Starts the bot on a free port and waits until it says it is running (or the process exits), then
 * until /healthz answers 200. `env` may lower LOG_LEVEL to debug, never raise it above info: the wait
 * is for that line, not a guess at how long a start takes.
 */
export async function startBotProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<BotProcess> {
  // The port is free when asked, and the bot binds it a second or more later. Meanwhile any process's
  // outgoing connection may take it as its own local port (it is in the range the system gives those out
  // from), and the bot then refuses to start on a port in use, as it should (seen once in CI, 2026-12-06).
  // A start refused for that alone is tried again on another port.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, env, timeoutMs);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

/** The bot refused to start because the port it was given had been taken since it was found free. */
class PortTaken extends Error {}

async function startOn(port: number, env: Record<string, string>, timeoutMs: number): Promise<BotProcess> {
  const child = spawnStart({ PORT: String(port), LOG_LEVEL: 'info', ...env });
  let logs = '';
  let announced: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (announced = resolve));
  child.stdout.on('data', (d: Buffer) => {
    logs += d.toString();
    if (logs.includes(RUNNING)) announced();
  });
  child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const first = await Promise.race([running.then(() => 'running' as const), exit, late]);
    if (first === 'late') {
      child.kill('SIGKILL');
      throw new Error(`the bot never said it was running: ${logs}`);
    }
    if (first !== 'running') {
      const taken = logs.includes(`PORT ${port} on `) && logs.includes('is already in use');
      throw new (taken ? PortTaken : Error)(`the bot exited with ${String(first)}: ${logs}`);
    }
    // Listening already: the first answer is the one that counts, and it comes within a few tries.
    for (;;) {
      const res = await fetch(`${base}/healthz`).catch(() => undefined);
      if (res?.status === 200) break;
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}: ${logs}`);
      if ((await Promise.race([late, new Promise((r) => setTimeout(r, 20))])) === 'late') {
        child.kill('SIGKILL');
        throw new Error(
          `the bot never answered /healthz with 200 (last ${res?.status ?? 'no answer'}): ${logs}`,
        );
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { child, base, exit, logs: () => logs };
}

/** Checks `done` every 100 ms until it holds; past `timeoutMs`, fails with what `failure` says. */
export async function pollUntil(
  done: () => boolean,
  timeoutMs: number,
  failure: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills what is still running of `bots`, without waiting. */
export function killAll(bots: BotProcess[]): void {
  for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
}

/** A `/transfer` line as Slack posts it to a running bot's /slack/events, signed with `secret`. */
export function postSignedCommand(
  bot: Pick<BotProcess, 'base'>,
  secret: string,
  fields: { text: string; user_id: string; response_url: string; trigger_id: string },
): Promise<Response> {
  const body = new URLSearchParams({
    command: '/transfer',
    team_id: 'T1',
    channel_id: 'D1',
    ...fields,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${bot.base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(secret, timestamp, body),
    },
    body,
  });
}

export const SIGNING_SECRET = 'test-signing-secret-not-real-000';
export const BOT_TOKEN = 'xoxb-test-token-not-real-000';

/** A migrated data folder and a Slack stand-in shared by the bot processes a suite starts. */
export interface SlackProcesses {
  dir: string;
  slack: SlackApiStandIn;
  /** Starts the bot with Slack over HTTP on the suite's folder; `env` adds or overrides settings. */
  start(env?: Record<string, string>): Promise<BotProcess>;
}

/**
 * Prepares the folder (a copy of the run's migrated template) and the stand-in before the suite's tests;
 * after them, kills what is still running and removes both. The fields are set once the suite runs.
 */
export function useSlackProcesses(): SlackProcesses {
  const bots: BotProcess[] = [];
  const processes: SlackProcesses = {
    dir: '',
    slack: undefined as unknown as SlackApiStandIn,
    async start(env = {}) {
      const bot = await startBotProcess({
        DATA_DIR: processes.dir,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: processes.slack.apiUrl,
        ...env,
      });
      bots.push(bot);
      return bot;
    },
  };
  beforeAll(async () => {
    processes.dir = copyEmbeddedTemplate();
    processes.slack = await startSlackApi();
  });
  afterAll(async () => {
    killAll(bots);
    await processes.slack.close();
    rmSync(processes.dir, { recursive: true, force: true });
  });
  return processes;
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
  }).catch((error: unknown) => failedPost(bot, error));
  return { status: res.status, chat, id };
}

/** A request the bot never answered: whether the process died, and what it wrote, say why. */
async function failedPost(bot: BotProcess, error: unknown): Promise<never> {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  // A process that died is seen to exit a moment after its sockets close.
  const exited = await Promise.race([
    bot.exit,
    new Promise<'running'>((r) => setTimeout(() => r('running'), 1000)),
  ]);
  const state = exited === 'running' ? 'still running' : `exited with ${String(exited)}`;
  throw new Error(
    `posting to the bot failed: ${String(error)}${cause}; the bot is ${state}; its logs:\n${bot.logs()}`,
  );
}

/** Waits until every chat has had an answer. */
export async function allAnsweredInTeams(
  connector: BotConnector,
  chats: string[],
  timeoutMs: number,
): Promise<void> {
  await pollUntil(
    () => chats.every((chat) => connector.posted(chat).length > 0),
    timeoutMs,
    () => 'some messages were never answered',
  );
}
