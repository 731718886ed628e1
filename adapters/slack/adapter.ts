import { App, ExpressReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import { Router, type Express } from 'express';
import pino, { type Logger } from 'pino';
import type { AppDeps } from '../../src/app/deps.js';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import { readerFor } from '../../src/app/reader.js';
import type { Config } from '../../src/config.js';
import type { SlackContext } from './context.js';
import { measured } from '../../src/app/metrics.js';
import { DurableWork } from '../../src/app/durable-work.js';
import { RequestGauge, WorkQueue } from '../../src/app/work-queue.js';
import { listenerFailed, slackIntake } from './intake.js';
import { boltLogger, logRequest } from './bolt-log.js';
import { registerCommands } from './handlers/command.js';
import { registerReferenceFiles } from './handlers/reference-file.js';
import { registerDecisions } from './handlers/decisions.js';
import { registerHome } from './handlers/home.js';
import { registerListPages } from './handlers/list-pages.js';
import { registerTransferButtons } from './handlers/transfer-buttons.js';
import { refuseUnsafeText } from './handlers/unsafe-text.js';
import { refuseOtherWorkspaces } from './handlers/other-workspaces.js';
import { SlackPeople } from './people.js';
import { slackSignatureCheck } from './signature.js';
import { webApiFetch } from './web-fetch.js';
import { createSlackSender } from './sender.js';
import { registerWizard } from './wizard/handlers.js';
import { registerRoutes, type Kind } from './routes.js';
import { servedWorkspaces } from './workspaces.js';
import { onlyMethods } from '../http/errors.js';

/** Commands worked on at once after their ack, and how many may wait before new ones hear "busy". */
const COMMAND_CONCURRENCY = 4;
export const COMMAND_BACKLOG = 1000;

export type SlackConfig = Pick<
  Config,
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_API_URL'
  | 'SLACK_COMPLIANCE_CHANNEL'
  | 'slackMode'
> &
  // Unset: the bot's own workspace only.
  Partial<Pick<Config, 'SLACK_WORKSPACES'>>;

export interface SlackAdapterOptions {
  deps: AppDeps;
  config: SlackConfig;
  logger?: Logger;
  /** Work after the ack: jobs at once and backlog before "busy" (defaults 4 and 1,000). */
  commandQueue?: { concurrency: number; backlog: number };
  /** Acknowledged work kept in the database: how long a claim holds, how often free items are looked for. */
  durableWork?: { leaseMs?: number; pollMs?: number; sole?: boolean };
}

export interface SlackAdapter {
  readonly app: App;
  /** For the delivery worker: direct messages, cards, card updates and files through a fail-fast client. */
  readonly sender: PlatformSender;
  /** HTTP mode: serves `POST /slack/events` (commands, interactivity, options, events) on our server. */
  mount(server: Express): void;
  /** Socket Mode: connects to Slack. HTTP mode: nothing to do (the server is ours). */
  start(): Promise<void>;
  /** Resolves once no acknowledged work is running or waiting here. */
  settled(): Promise<void>;
  /**
   * Stops: acknowledged work running or waiting is given `graceMs` (default 5 s) to finish; what has
   * not started by then is left in the database for the next instance.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The Slack surface: a Bolt app whose listeners ack at once, identify the person against
 * the inventory, call the core through `dispatch`, and draw the answer in Block Kit. Nothing here
 * decides anything: permissions, statuses and eligibility are the core's.
 */
export async function createSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { config } = options;
  const token = config.SLACK_BOT_TOKEN;
  if (!token || config.slackMode === 'off')
    throw new Error('Slack is not configured: SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN');
  const log = (options.logger ?? pino({ level: 'info' })).child({ surface: 'slack' });
  const logger = boltLogger(log);
  const slackApiUrl = config.SLACK_API_URL;
  // Interactive calls may wait a little for Slack; the delivery worker's must fail fast and be retried later.
  const clientOptions: webApi.WebClientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: 10_000,
    logger,
    fetch: webApiFetch,
  };

  let receiver: ExpressReceiver | SocketModeReceiver;
  if (config.slackMode === 'socket') {
    if (!config.SLACK_APP_TOKEN) throw new Error('SLACK_APP_TOKEN: missing for Socket Mode');
    receiver = new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN,
      logger,
      installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} },
    });
  } else {
    if (!config.SLACK_SIGNING_SECRET) throw new Error('SLACK_SIGNING_SECRET: missing for Slack over HTTP');
    // Signatures are checked first on Bolt's own route (the same router, the same path), and Bolt then
    // verifies nothing again: nothing reaches its listeners that Slack did not sign.
    const router = Router();
    router.post('/slack/events', slackSignatureCheck(config.SLACK_SIGNING_SECRET, log));
    receiver = new ExpressReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET,
      signatureVerification: false,
      router,
      endpoints: '/slack/events',
      logger,
      processBeforeResponse: false,
    });
    // After Bolt's own POST route: any other method on the path.
    router.all('/slack/events', onlyMethods('POST'));
  }

  // auth.test: a wrong token or API URL stops the start here, with its reason, not at the first click.
  // Asked here rather than by Bolt, which keeps only the bot's ids: the workspace is ours to know too.
  const identity = await new webApi.WebClient(token, clientOptions).auth.test();
  const served = servedWorkspaces(
    { team: identity.team_id, enterprise: identity.enterprise_id },
    config.SLACK_WORKSPACES ?? [],
  );
  if (served.length > 0)
    log.info({ workspaces: served }, 'Slack: serving the people of these workspaces only');
  else log.warn('Slack: auth.test named no workspace and SLACK_WORKSPACES lists none: nobody is served');

  // No conversation store: nothing here reads Bolt's per-conversation state, and it costs every request.
  const app = new App({
    token,
    // What Bolt would ask auth.test for again: given, it does not.
    ...(identity.bot_id && identity.user_id
      ? { botId: identity.bot_id, botUserId: identity.user_id, tokenVerificationEnabled: false }
      : {}),
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    convoStore: false,
  });
  await app.init();

  const people = new SlackPeople(app.client);
  const slackRequests = new RequestGauge();
  const ctx: SlackContext = {
    deps: options.deps,
    client: app.client,
    people,
    log,
    complianceChannel: config.SLACK_COMPLIANCE_CHANNEL,
    channelReader: readerFor(
      undefined,
      { locale: options.deps.config.complianceLocale },
      options.deps.config.defaultTimeZone,
    ),
    work: new WorkQueue({
      concurrency: options.commandQueue?.concurrency ?? COMMAND_CONCURRENCY,
      capacity: options.commandQueue?.backlog ?? COMMAND_BACKLOG,
      onError: (err) => log.error({ err: (err as Error).message }, 'Slack work after the ack failed'),
      // Over HTTP, answers step aside while Slack requests wait for their ack (Socket Mode has no gauge).
      pressure: slackRequests.pressed,
    }),
  };
  // Every request Slack sends, timed and counted by outcome (GET /metrics), and at debug what it is and
  // who sent it, never what it says.
  app.use(async ({ body, next }) => {
    logRequest(log, body);
    await measured(
      'slack',
      () => 'ok',
      () => next(),
    );
  });
  // Before any listener, once for all: a person of a workspace not served is refused, before anyone is
  // identified; then text a person typed that the bot cannot take.
  app.use(refuseOtherWorkspaces(ctx, served));
  app.use(refuseUnsafeText(ctx));
  const durable: DurableWork = new DurableWork({
    work: options.deps.store.work,
    surface: 'slack',
    queue: ctx.work,
    run: (item) => runStored(item.kind as Kind, item.payload),
    ...options.durableWork,
    onError: (err, what) => log.error({ err: { message: (err as Error)?.message } }, what),
  });
  const runStored = registerRoutes(
    app,
    (routes) => {
      registerCommands(routes, ctx);
      registerReferenceFiles(routes, ctx);
      registerWizard(routes, ctx);
      registerDecisions(routes, ctx);
      registerTransferButtons(routes, ctx);
      registerListPages(routes, ctx);
      registerHome(routes, ctx);
    },
    slackIntake(ctx, durable),
  );
  app.error(async (err) => listenerFailed(log, err));

  const deliveryClient = new webApi.WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    logger,
    fetch: webApiFetch,
  });
  const sender = createSlackSender({
    client: deliveryClient,
    deps: options.deps,
    people,
    complianceChannel: config.SLACK_COMPLIANCE_CHANNEL,
    channelLocale: ctx.channelReader.locale,
  });

  let started = false;
  return {
    app,
    sender,
    mount(server: Express) {
      if (!(receiver instanceof ExpressReceiver))
        throw new Error('mount() is for Slack over HTTP; Socket Mode uses start()');
      server.use('/slack/events', slackRequests.track);
      server.use(receiver.router);
      durable.start();
    },
    async start() {
      durable.start();
      if (receiver instanceof SocketModeReceiver && !started) {
        await app.start();
        started = true;
      }
    },
    settled: () => ctx.work.drained(),
    async stop(graceMs = 5000) {
      if (receiver instanceof SocketModeReceiver && started) {
        await app.stop();
        started = false;
      }
      // Work already acknowledged is done before the process goes, or left for the next instance.
      await durable.stop(graceMs);
    },
  };
}
