import pino, { type Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createHttpApp, listen, type Listening } from '../../adapters/http/server.js';
import {
  createTeamsAdapter,
  type TeamsAdapter,
  type TeamsAdapterOptions,
} from '../../adapters/teams/index.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { HealthCheck } from '../../src/app/ports/store.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startBotConnector, type AdaptiveCardJson, type BotConnector } from './bot-connector.js';
import { BOT, COMPLIANCE_CONVERSATION, TENANT } from './teams-ids.js';
import type { Driver, TestDatabase } from './db.js';
import { seededDatabase, type testDeps } from './world.js';

export { BOT, COMPLIANCE_CONVERSATION, TENANT };

/** A Teams user as the tests drive them: their Teams id and their one-to-one chat with the bot. */
export interface TeamsUser {
  id: string;
  name: string;
  email: string;
  locale: string;
  chat: string;
}

export function teamsUser(key: string, name: string, email: string, locale = 'en-US'): TeamsUser {
  return { id: `29:${key}`, name, email, locale, chat: `a:chat-29:${key}` };
}

export function teamsConfig(extra: Record<string, string> = {}): Config {
  const loaded = loadConfig({
    TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    TEAMS_COMPLIANCE_CONVERSATION_ID: COMPLIANCE_CONVERSATION,
    LOG_LEVEL: 'silent',
    ...extra,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return loaded.config;
}

export interface RunningBot {
  adapter: TeamsAdapter;
  url: string;
  server: Listening;
  /** Resolves once the messages answered after their 200 have been answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The real HTTP server with the Teams adapter mounted, on a free port. */
export async function startBot(
  deps: AppDeps,
  config: Config = teamsConfig(),
  logger: Logger = pino({ level: 'silent' }),
  options: Pick<TeamsAdapterOptions, 'durableWork' | 'files'> & { health?: HealthCheck } = {},
): Promise<RunningBot> {
  const app = createHttpApp(options.health ?? { ping: async () => true });
  const adapter = createTeamsAdapter({
    deps,
    config,
    logger,
    durableWork: options.durableWork,
    files: options.files,
  });
  adapter.mount(app);
  const server = await listen(app, 0, '127.0.0.1');
  return {
    adapter,
    server,
    url: `http://127.0.0.1:${server.port}/api/messages`,
    settled: () => adapter.settled(),
    async close() {
      await server.close();
      await adapter.stop(1000);
    },
  };
}

let sequence = 0;

/**
 * Builds activities as Teams would post them for one user, and posts them to the bot; with `authorize`,
 * each carries the Authorization header it returns for that activity (a channel token). A message is
 * answered after its 200: with a bot that says when it has `settled`, each post waits for the answers.
 */
export function teamsClient(
  bot: { url: string; settled?: () => Promise<void> },
  connector: BotConnector,
  authorize?: (activity: { serviceUrl?: string }) => string,
) {
  const base = (user: TeamsUser, conversation?: { id: string; type: 'channel' | 'personal' }) => ({
    id: `in-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: user.locale,
    from: { id: user.id, name: user.name, aadObjectId: `aad-${user.id}` },
    recipient: BOT,
    conversation:
      conversation?.type === 'channel'
        ? { id: conversation.id, conversationType: 'channel', tenantId: TENANT, isGroup: true }
        : { id: user.chat, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  });

  async function post(activity: object, headers: Record<string, string> = {}) {
    const signed: Record<string, string> = authorize ? { authorization: authorize(activity) } : {};
    const response = await fetch(bot.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed, ...headers },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    await bot.settled?.();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      body: json && text ? (JSON.parse(text) as unknown) : text || undefined,
      activity,
    };
  }

  return {
    post,
    message: (
      user: TeamsUser,
      text: string,
      options: { channel?: string; value?: unknown; attachments?: unknown[] } = {},
    ) =>
      post({
        ...base(user, options.channel ? { id: options.channel, type: 'channel' } : undefined),
        type: 'message',
        text,
        ...(options.value !== undefined ? { value: options.value } : {}),
        ...(options.attachments !== undefined ? { attachments: options.attachments } : {}),
      }),
    invoke: (user: TeamsUser, name: string, value: unknown) =>
      post({ ...base(user), type: 'invoke', name, value }),
    /**
     * A click on a card's Action.Execute: in the person's own chat, or with `card` on a card the bot posted
     * to a channel, as Teams sends it there (the thread's conversation id, and the card's message id).
     */
    execute: (
      user: TeamsUser,
      verb: string,
      data: Record<string, unknown>,
      card?: { channel: string; activityId: string },
    ) =>
      post({
        ...base(user, card && { id: `${card.channel};messageid=${card.activityId}`, type: 'channel' }),
        ...(card ? { replyToId: card.activityId } : {}),
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    install: (user: TeamsUser) =>
      post({ ...base(user), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }, { id: user.id }] }),
  };
}

export type TeamsClient = ReturnType<typeof teamsClient>;

/** Everything a Teams test talks to: the seeded database, the Bot Connector stand-in and the bot. */
export interface TeamsWorld {
  database: TestDatabase;
  deps: ReturnType<typeof testDeps>;
  connector: BotConnector;
  /** The bot running now: after `restart`, the new one. */
  readonly bot: RunningBot;
  /** Posts to the bot running now. */
  teams: TeamsClient;
  /**
   * Stops the bot and starts another on the same database and connector, as a new process would: it holds
   * nothing in memory, only what the database kept.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** What a world's bot is started with, besides its defaults: its logger, where files come from and go to. */
export interface TeamsWorldOptions {
  logger?: Logger;
  files?: TeamsAdapterOptions['files'];
  /** Settings the bot starts with, besides those of `teamsConfig`. */
  env?: Record<string, string>;
}

/** A seeded database, a Bot Connector whose roster knows these people, and the bot on a free port. */
export async function startTeamsWorld(
  driver: Driver,
  people: TeamsUser[],
  options: TeamsWorldOptions = {},
): Promise<TeamsWorld> {
  const { database, deps } = await seededDatabase(driver);
  const connector = await startBotConnector();
  for (const u of people) connector.roster.set(u.id, { id: u.id, name: u.name, email: u.email });
  const config = teamsConfig(options.env);
  const start = () => startBot(deps, config, options.logger, { files: options.files });
  let bot = await start();
  const current = {
    get url() {
      return bot.url;
    },
    settled: () => bot.settled(),
  };
  return {
    database,
    deps,
    connector,
    get bot() {
      return bot;
    },
    teams: teamsClient(current, connector),
    async restart() {
      await bot.close();
      bot = await start();
    },
    async close() {
      await bot.close();
      await connector.close();
      await database.dispose();
    },
  };
}

/**
 * A world started before the suite's tests and closed after them. The object is filled in once the
 * suite runs: read its fields in tests and hooks.
 */
export function useTeamsWorld(
  driver: Driver,
  people: TeamsUser[],
  options: TeamsWorldOptions = {},
): TeamsWorld {
  const world = {} as TeamsWorld;
  beforeAll(async () => {
    // Descriptors, not values: `bot` stays the one running now across restarts.
    Object.defineProperties(
      world,
      Object.getOwnPropertyDescriptors(await startTeamsWorld(driver, people, options)),
    );
  });
  afterAll(() => world.close?.());
  return world;
}

/** What a dialog invoke (`task/fetch`, `task/submit`) answers: the next card, or a closing message. */
export type DialogTask =
  | { task: { type: 'continue'; value: { title: string; card: { content: AdaptiveCardJson } } } }
  | { task: { type: 'message'; value: string } };

/** Every object in a card, parents before what they hold, in the order drawn. */
function cardElements(card: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const element = value as Record<string, unknown>;
      found.push(element);
      Object.values(element).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The card's `Action.Submit` buttons: their title and the data they send back. */
export function submitButtons(card: unknown): { title: string; data: Record<string, unknown> }[] {
  return cardElements(card)
    .filter((element) => element.type === 'Action.Submit')
    .map((element) => ({
      title: String(element.title),
      data: (element.data ?? {}) as Record<string, unknown>,
    }));
}

/** The card's inputs by id. */
export function cardInputs(card: unknown): Record<string, Record<string, unknown>> {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const element of cardElements(card))
    if (
      typeof element.type === 'string' &&
      element.type.startsWith('Input.') &&
      typeof element.id === 'string'
    )
      inputs[element.id] = element;
  return inputs;
}
