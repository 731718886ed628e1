import pino, { type Logger } from 'pino';
import type { Locale } from '../../src/i18n/index.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { createHttpApp, listen, type Listening } from '../../adapters/http/server.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { drainOutbox, type DeliverySummary } from '../../src/delivery/worker.js';
import { createTestDatabase, type Driver, type TestDatabase } from '../support/db.js';
import { startProxiedDatabase, type ProxiedDatabase } from '../support/proxied-database.js';
import { sign, startSlackApi, type RecordedCall, type SlackApiStandIn } from '../support/slack-api.js';
import { historyOf, statusOf } from '../support/transfers.js';
import { seedWorld, testDeps } from '../support/world.js';

export const SECRET = 'test-signing-secret';
export const COMPLIANCE = 'CCOMPLIANCE';

/** Slack ids of the inventory's people; alice and bob are linked in the inventory, the others by e-mail. */
export const SLACK = {
  alice: { id: 'UALICE', email: 'alice@fr.example', locale: 'fr-FR', tz: 'Europe/Paris' },
  bob: { id: 'UBOB', email: 'bob@be.example', locale: 'en-US', tz: 'Europe/Brussels' },
  carol: { id: 'UCAROL', email: 'carol@fr.example', locale: 'fr-FR', tz: 'Europe/Paris' },
  paul: { id: 'UPAUL', email: 'paul@partner.example', locale: 'en-GB', tz: 'Europe/Paris' },
  cora: { id: 'UCORA', email: 'cora@compliance.example', locale: 'ja-JP', tz: 'Asia/Tokyo' },
  eve: { id: 'UEVE', email: 'eve@nowhere.example', locale: 'en-US', tz: 'UTC' },
  ada: { id: 'UADA', email: 'ada@ops.example', locale: 'fr-FR', tz: 'Europe/Paris' },
  stranger: { id: 'USTRANGER', email: 'stranger@elsewhere.example', locale: 'en-US', tz: 'UTC' },
} as const;

export interface SlackHarness {
  database: TestDatabase;
  deps: ReturnType<typeof testDeps>;
  api: SlackApiStandIn;
  adapter: SlackAdapter;
  url: string;
  /** POSTs a body to /slack/events, signed unless told otherwise. */
  post(
    body: string,
    contentType: string,
    sign?: { secret?: string; timestamp?: number; tamper?: boolean; unsigned?: boolean; retryNum?: number },
  ): Promise<Response>;
  /** A `/transfer` line, typed in the bot's own workspace unless `from` names another. */
  slash(
    userId: string,
    text: string,
    from?: { team: string; enterprise?: string },
  ): Promise<{ res: Response; responseUrl: string; triggerId: string }>;
  interact(payload: Record<string, unknown>): Promise<Response>;
  event(event: Record<string, unknown>): Promise<Response>;
  /** Another bot instance on the same database and Slack (as behind a load balancer); closed with the harness. */
  another(options?: InstanceOptions): Promise<SlackInstance>;
  /** Runs the real outbox worker with this adapter's sender until nothing is due. */
  deliver(): Promise<DeliverySummary>;
  /** The transfer's status in the database now. */
  status(id: string): ReturnType<typeof statusOf>;
  /** The transfer's history rows, or those of one action. */
  history(id: string, action?: string): ReturnType<typeof historyOf>;
  close(): Promise<void>;
}

let triggers = 0;

/** One bot instance: a Slack adapter on its own HTTP server, over a database it may share with others. */
export interface SlackInstance {
  adapter: SlackAdapter;
  url: string;
  post: SlackHarness['post'];
  close(graceMs?: number): Promise<void>;
}

export interface InstanceOptions {
  commandQueue?: { concurrency: number; backlog: number };
  durableWork?: { leaseMs?: number; pollMs?: number; sole?: boolean };
  /** SLACK_WORKSPACES: the workspaces served beside the bot's own (T1). */
  workspaces?: string[];
  /** COMPLIANCE_LOCALE: the language of the compliance channel (English when unset). */
  complianceLocale?: Locale;
  /** No SLACK_COMPLIANCE_CHANNEL: screening cards go to each compliance officer instead. */
  noComplianceChannel?: boolean;
  /** The bot's log (silent unless TEST_LOG_LEVEL says otherwise). */
  logger?: Logger;
}

export async function startInstance(
  deps: ReturnType<typeof testDeps>,
  database: TestDatabase,
  api: SlackApiStandIn,
  options: InstanceOptions = {},
): Promise<SlackInstance> {
  const adapter = await createSlackAdapter({
    deps,
    config: {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: api.apiUrl,
      SLACK_COMPLIANCE_CHANNEL: options.noComplianceChannel ? undefined : COMPLIANCE,
      slackMode: 'http',
      SLACK_WORKSPACES: options.workspaces ?? [],
    },
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(options.commandQueue ? { commandQueue: options.commandQueue } : {}),
    ...(options.durableWork ? { durableWork: options.durableWork } : {}),
  });
  const http = createHttpApp(database);
  adapter.mount(http);
  const server: Listening = await listen(http, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}/slack/events`;

  const post: SlackHarness['post'] = (body, contentType, s = {}) => {
    const timestamp = s.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (!s.unsigned) {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = sign(s.secret ?? SECRET, timestamp, body);
    }
    if (s.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(s.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return fetch(url, { method: 'POST', headers, body: s.tamper ? `${body}&extra=1` : body });
  };
  return {
    adapter,
    url,
    post,
    async close(graceMs) {
      await server.close();
      await adapter.stop(graceMs);
    },
  };
}

export async function startSlack(
  driver: Driver,
  commandQueue?: { concurrency: number; backlog: number },
  options: Omit<InstanceOptions, 'commandQueue'> = {},
): Promise<SlackHarness> {
  const [database, api] = await Promise.all([createTestDatabase(driver), startSlackApi()]);
  await seedWorld(database.db);
  for (const p of Object.values(SLACK)) api.addPerson(p);
  // The clock runs in real time: Slack's signatures are checked against the real time anyway.
  const deps = testDeps(database.db, new Date());
  if (options.complianceLocale) deps.config.complianceLocale = options.complianceLocale;
  const first = await startInstance(deps, database, api, {
    ...options,
    ...(commandQueue ? { commandQueue } : {}),
  });
  const { adapter, url, post } = first;
  const others: SlackInstance[] = [];

  return {
    database,
    deps,
    api,
    adapter,
    url,
    post,
    async slash(userId, text, from) {
      const responseUrl = api.responseUrl();
      const triggerId = `trigger-${++triggers}`;
      const body = new URLSearchParams({
        command: '/transfer',
        text,
        user_id: userId,
        user_name: userId.toLowerCase(),
        team_id: from?.team ?? 'T1',
        ...(from?.enterprise ? { enterprise_id: from.enterprise } : {}),
        channel_id: 'CGENERAL',
        trigger_id: triggerId,
        response_url: responseUrl,
        api_app_id: 'A1',
        token: 'legacy',
      }).toString();
      const res = await post(body, 'application/x-www-form-urlencoded');
      return { res, responseUrl, triggerId };
    },
    interact(payload) {
      return post(interactionBody(payload), 'application/x-www-form-urlencoded');
    },
    event(event) {
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        api_app_id: 'A1',
        event_id: `Ev${++triggers}`,
        event_time: 1,
        event,
      });
      return post(body, 'application/json');
    },
    deliver: () => drainOutbox(deps, { senders: [adapter.sender], random: () => 0 }),
    status: (id) => statusOf(database.db, id),
    history: (id, action) => historyOf(database.db, id, action),
    async another(options) {
      const instance = await startInstance(deps, database, api, options);
      others.push(instance);
      return instance;
    },
    async close() {
      for (const other of others.splice(0)) await other.close(0).catch(() => undefined);
      await first.close();
      await api.close();
      await database.dispose();
    },
  };
}

/**
 * A harness started before the suite's tests and closed after them. What it returns stands for that
 * harness: read it in tests and hooks, not while the suite is being declared.
 */
export function useSlack(driver: Driver, options: Omit<InstanceOptions, 'commandQueue'> = {}): SlackHarness {
  let started: SlackHarness | undefined;
  beforeAll(async () => {
    started = await startSlack(driver, undefined, options);
  });
  afterAll(() => started?.close());
  return new Proxy({} as SlackHarness, {
    get(_, key) {
      if (!started) throw new Error('the Slack harness is not started yet');
      return Reflect.get(started, key) as unknown;
    },
  });
}

/** The HTTP body of an interaction payload, as Slack posts it. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({
    payload: JSON.stringify({ team: { id: 'T1' }, api_app_id: 'A1', token: 'legacy', ...payload }),
  }).toString();
}

/** A button click as Slack sends it, from a message (a card, a reply) or from a view (modal, Home). */
export function click(
  userId: string,
  action: { action_id: string; value?: string; block_id?: string; selected_option?: { value: string } },
  where:
    | { channel: string; ts: string; ephemeral?: boolean; responseUrl?: string }
    | { view: Record<string, unknown> },
): Record<string, unknown> {
  const base = {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T1' },
    trigger_id: `trigger-${++triggers}`,
    actions: [{ type: 'button', action_ts: '1', block_id: action.block_id ?? 'b', ...action }],
  };
  if ('view' in where)
    return { ...base, container: { type: 'view', view_id: where.view.id }, view: where.view };
  return {
    ...base,
    container: {
      type: 'message',
      channel_id: where.channel,
      message_ts: where.ts,
      is_ephemeral: where.ephemeral ?? false,
    },
    channel: { id: where.channel },
    message: { ts: where.ts },
    ...(where.responseUrl ? { response_url: where.responseUrl } : {}),
  };
}

/** A click on a decision card's button; the card's block id names its decision (`card:consent:transferee`). */
export function cardClick(
  userId: string,
  actionId: string,
  id: string,
  decision: 'consent:transferee' | 'consent:transferor' | 'compliance',
  where: { channel: string; ts: string },
): Record<string, unknown> {
  return click(userId, { action_id: actionId, value: id, block_id: `card:${decision}` }, where);
}

// Slack turns domains and e-mail addresses into links before the bot sees the line.
export const ONE_LINE =
  'new from:<http://fr-a.example|fr-a.example> to:<http://be.example/DEFAULT|be.example/DEFAULT> ' +
  'assets:SO:100-1,SN:FOC0002 same-company:no transferee:<mailto:bob@be.example|bob@be.example> ' +
  'justification:"Opening of the Brussels office &amp; lab" terms:accept';

export const text = (c: RecordedCall): string => JSON.stringify(c.args.blocks ?? c.args.view ?? '');

export const buttonIds = (c: RecordedCall): string[] =>
  (
    (c.args.blocks ?? c.args.view?.blocks ?? []) as {
      type: string;
      elements?: { action_id?: string }[];
      accessory?: { action_id?: string };
    }[]
  )
    .flatMap((b) => [
      ...(b.type === 'actions' ? (b.elements ?? []) : []),
      ...(b.accessory ? [b.accessory] : []),
    ])
    .map((e) => e.action_id ?? '');

/** Where a posted message landed, as a later click on it says. */
export function where(posted: RecordedCall): { channel: string; ts: string } {
  return { channel: String(posted.result?.channel), ts: String(posted.result?.ts) };
}

/** A signed `/transfer` line posted to one instance; its answer comes on the response_url returned. */
export async function postSlash(
  api: SlackApiStandIn,
  instance: Pick<SlackInstance, 'post'>,
  userId: string,
  text: string,
): Promise<string> {
  const responseUrl = api.responseUrl();
  const body = new URLSearchParams({
    command: '/transfer',
    text,
    user_id: userId,
    team_id: 'T1',
    channel_id: 'CGENERAL',
    trigger_id: `trigger-${responseUrl}`,
    response_url: responseUrl,
  }).toString();
  const res = await instance.post(body, 'application/x-www-form-urlencoded');
  if (res.status !== 200) throw new Error(`the command was answered ${res.status}`);
  return responseUrl;
}

/**
 * A bot whose pool reaches PostgreSQL through a proxy the test cuts or stalls (see ProxiedDatabase), with a
 * stand-in Slack; the test reads the database directly (`direct`).
 */
export interface ProxiedBot extends ProxiedDatabase {
  api: SlackApiStandIn;
  bot: SlackInstance;
  deps: ReturnType<typeof testDeps>;
  healthz: string;
  slash: (userId: string, text: string) => Promise<string>;
  answerTo: (responseUrl: string, since: number, timeoutMs?: number) => Promise<RecordedCall>;
  /** A signed click on a card (see cardClick), and the message only the clicker sees that answers it. */
  clickTold: (click: Parameters<typeof cardClick>, since: number, timeoutMs: number) => Promise<RecordedCall>;
}

export async function startProxiedBot(
  deadlines: Parameters<typeof startProxiedDatabase>[0] = {},
): Promise<ProxiedBot> {
  const database = await startProxiedDatabase(deadlines);
  const api = await startSlackApi();
  for (const p of Object.values(SLACK)) api.addPerson(p);
  const deps = testDeps(database.proxied.db, new Date());
  const bot = await startInstance(
    deps,
    { ...database.proxied, dispose: () => database.proxied.close() },
    api,
  );
  return {
    ...database,
    api,
    bot,
    deps,
    healthz: new URL('/healthz', bot.url).toString(),
    slash: (userId, text) => postSlash(api, bot, userId, text),
    answerTo: (responseUrl, since, timeoutMs = 20_000) =>
      api.waitFor('response_url', (c) => c.args.path === new URL(responseUrl).pathname, { since, timeoutMs }),
    async clickTold(click, since, timeoutMs) {
      const res = await bot.post(interactionBody(cardClick(...click)), 'application/x-www-form-urlencoded');
      if (res.status !== 200) throw new Error(`the click was answered ${res.status}`);
      return api.waitFor('chat.postEphemeral', (c) => c.args.user === click[0], { since, timeoutMs });
    },
    async close() {
      await database.proxy.restore();
      await bot.close(0).catch(() => undefined);
      await api.close();
      await database.close();
    },
  };
}

/** A ProxiedBot started before the file's tests and stopped after them (read its fields inside a test). */
export function useProxiedBot(deadlines: Parameters<typeof startProxiedDatabase>[0] = {}): ProxiedBot {
  let started: ProxiedBot | undefined;
  beforeAll(async () => {
    started = await startProxiedBot(deadlines);
  }, 60_000);
  afterAll(() => started?.close());
  return new Proxy({} as ProxiedBot, {
    get(_, key) {
      if (!started) throw new Error('the proxied bot is not started yet');
      return Reflect.get(started, key) as unknown;
    },
  });
}

/** The answer a slash command got on its response_url. */
export function answerTo(
  h: SlackHarness,
  responseUrl: string,
  opts: { since?: number; timeoutMs?: number } = {},
): Promise<RecordedCall> {
  return h.api.waitFor('response_url', (c) => c.args.path === new URL(responseUrl).pathname, opts);
}

/** Runs the delivery worker and waits for the decision card (with `button`) it posts to `channel` for `id`. */
export async function deliverCard(
  h: SlackHarness,
  channel: string,
  id: string,
  button: string,
  since = h.api.count(),
): Promise<RecordedCall> {
  await h.deliver();
  return h.api.waitFor(
    'chat.postMessage',
    (c) => c.args.channel === channel && text(c).includes(id) && text(c).includes(button),
    { since },
  );
}

/** Alice requests Belgian-bound assets and submits, one line each; Bob's consent card is delivered. */
export async function requestAndSubmit(h: SlackHarness, assets = 'SO:100-1,SN:FOC0002') {
  const since = h.api.count();
  const { responseUrl } = await h.slash(SLACK.alice.id, ONE_LINE.replace('SO:100-1,SN:FOC0002', assets));
  const created = await answerTo(h, responseUrl, { since });
  const id = /AT-[0-9A-Z]{8}/.exec(String(created.args.text))?.[0];
  if (!id) throw new Error(`no transaction id in ${String(created.args.text)}`);
  const submitted = await h.slash(SLACK.alice.id, `submit ${id}`);
  await answerTo(h, submitted.responseUrl, { since });
  const card = await deliverCard(h, SLACK.bob.id, id, 'consent_approve', since);
  return { id, card, created };
}

/** A modal submission as Slack sends it; the HTTP answer carries the response_action, if any. */
export function submission(
  userId: string,
  view: Record<string, unknown>,
  values: Record<string, Record<string, unknown>> = {},
) {
  return {
    type: 'view_submission',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T1' },
    trigger_id: `trigger-${++triggers}`,
    view: { id: 'V-submitted', hash: 'h', type: 'modal', ...view, state: { values } },
  };
}

/** A block of the Home tab, as the tests read it. */
export type HomeBlock = {
  type: string;
  block_id?: string;
  accessory?: {
    action_id: string;
    options?: { value: string; text: { text: string } }[];
    initial_option?: { value: string };
  };
  elements?: { action_id: string; value: string }[];
  text?: { text: string };
};

/** Opens the Home tab as this person would, and answers the view the bot publishes for them. */
export async function openHome(
  h: SlackHarness,
  userId: string,
): Promise<{ type: string; blocks: HomeBlock[] }> {
  const since = h.api.count();
  const res = await h.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' });
  expect(res.status).toBe(200);
  const published = await h.api.waitFor('views.publish', (c) => c.args.user_id === userId, { since });
  return published.args.view as { type: string; blocks: HomeBlock[] };
}
