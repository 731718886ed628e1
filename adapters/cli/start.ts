import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import type { AppDeps } from '../../src/app/deps.js';
import { inventoryIsEmpty } from '../../src/app/inventory.js';
import { countOutboxWith } from '../../src/app/metrics.js';
import { leavingServedPlatforms, markPlatformsServed } from '../../src/app/served-platforms.js';
import type { Config } from '../../src/config.js';
import { initI18n } from '../../src/i18n/index.js';
import { runDueJobs } from '../../src/schedule/jobs.js';
import { reminderSettings } from '../../src/schedule/settings.js';
import { startCronScheduler } from '../clock/cron.js';
import { createConsoleSender } from '../console/sender.js';
import { runConsole } from '../console/session.js';
import { createHttpApp, listen } from '../http/server.js';
import type { SlackAdapter } from '../slack/adapter.js';
import type { TeamsAdapter } from '../teams/index.js';
import { importIfEmpty } from './commands.js';
import { settleMemoryAfterStart } from './settle-memory.js';
import { DEMO_INVENTORY } from './demo-inventory.js';
import { openRuntime, withRuntime, type Runtime } from './compose.js';
import type { Progress } from './progress.js';
import { createLogger } from './runtime.js';
import { explainStartFailure, startFailure, type StartStep } from './start-errors.js';

/**
 * First start on an empty embedded database (a fresh machine trying the bot): the shipped demo inventory.
 * A database server is an operator's: it is never given made-up people and companies, which an import
 * (it never deletes) could not take away again; when empty, it is told to import its inventory.
 */
async function seedIfEmpty(
  deps: AppDeps,
  kind: Runtime['kind'],
): Promise<{ seeded: string | null; emptyServer: boolean }> {
  if (kind === 'embedded') return { seeded: await importIfEmpty(deps, DEMO_INVENTORY), emptyServer: false };
  return { seeded: null, emptyServer: await inventoryIsEmpty(deps) };
}

/** Said by `start` and the console on an empty database server, which is not given the demo inventory. */
export const EMPTY_SERVER =
  'the database is empty: load your inventory with `transfer-bot import FILE` ' +
  '(`transfer-bot import data/demo-inventory.json` loads the demo inventory, to try the bot)';

// The platform SDKs take a while to load: only a process that uses them pays for them.
const loadSlack = async () => (await import('../slack/adapter.js')).createSlackAdapter;
const loadTeams = async () => (await import('../teams/index.js')).createTeamsAdapter;

/** Resolves on the first SIGTERM or SIGINT. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => resolve(signal);
    process.once('SIGTERM', () => on('SIGTERM'));
    process.once('SIGINT', () => on('SIGINT'));
  });
}

/** `transfer-bot start` (what `npm start` runs): Slack and/or Teams when configured, otherwise the console. */
export async function startBot(config: Config): Promise<number> {
  initI18n();
  if (config.slackMode === 'off' && !config.teamsEnabled) return startConsoleOnly(config, undefined, true);
  const logger = createLogger(config);
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, { migrate: true });
  } catch (err) {
    throw startFailure((err as Error).message);
  }
  let step: StartStep | 'database' = 'database';
  let slack: SlackAdapter | undefined;
  let teams: TeamsAdapter | undefined;
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  let scheduler: ReturnType<typeof startCronScheduler> | undefined;
  let cancelSettling: (() => void) | undefined;
  const stopAll = () =>
    shutdown(logger, [
      { name: 'memory settling', withinMs: 100, run: () => cancelSettling?.() },
      // Requests still being answered get a moment; then their connections are closed under them.
      {
        name: 'HTTP server',
        withinMs: 1_000,
        run: () => server?.close(),
        late: () => server?.server.closeAllConnections(),
      },
      {
        name: 'Slack and Teams',
        withinMs: SURFACES_GRACE_MS + 500,
        run: () => Promise.all([slack?.stop(SURFACES_GRACE_MS), teams?.stop(SURFACES_GRACE_MS)]),
      },
      { name: 'scheduler', withinMs: 1_000, run: () => scheduler?.stop() },
      // The depth is no longer counted from a database about to close.
      { name: 'metrics', withinMs: 100, run: () => countOutboxWith(undefined) },
      { name: 'database', withinMs: 2_500, run: () => runtime.close() },
    ]);
  try {
    const { deps } = runtime;
    const { seeded, emptyServer } = await seedIfEmpty(deps, runtime.kind);
    if (seeded) logger.info({ seeded }, 'demo inventory loaded into the empty database');
    if (emptyServer) logger.warn(EMPTY_SERVER);
    const http = createHttpApp(deps.store, logger);
    countOutboxWith(() => deps.store.outbox.pendingCount());
    const senders: PlatformSender[] = [];
    const surfaces: string[] = [];

    if (config.slackMode !== 'off') {
      step = 'slack-auth';
      slack = await (
        await loadSlack()
      )({
        deps,
        config,
        logger,
        durableWork: { sole: runtime.kind === 'embedded' },
      });
      senders.push(slack.sender);
      if (config.slackMode === 'http') slack.mount(http);
      surfaces.push(config.slackMode === 'http' ? 'Slack (HTTP: POST /slack/events)' : 'Slack (Socket Mode)');
    }
    if (config.teamsEnabled) {
      step = 'teams';
      if (!config.MICROSOFT_APP_ID)
        logger.warn(
          'Teams runs WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=true): local testing only',
        );
      teams = (await loadTeams())({
        deps,
        config,
        logger,
        durableWork: {
          sole: runtime.kind === 'embedded',
          // Messages acknowledged while the database is out of reach outlive this process.
          spoolFile: join(config.DATA_DIR, 'teams-waiting.jsonl'),
        },
      });
      teams.mount(http);
      senders.push(teams.sender);
      surfaces.push('Teams (POST /api/messages)');
    }

    step = 'listen';
    server = await listen(http, config.PORT, config.HOST);
    if (slack && config.slackMode === 'socket') {
      step = 'slack-socket';
      await slack.start();
    }
    scheduler = startCronScheduler(deps, {
      senders,
      settings: reminderSettings(config),
      logger,
      upkeep: runtime.upkeep,
      // The embedded database has one process: messages it finds held were held by one that died.
      worker: { sole: runtime.kind === 'embedded' },
    });
    // From now on, what the console or `jobs run` would take for itself waits for these platforms.
    await markPlatformsServed(deps, [
      ...(slack ? (['slack'] as const) : []),
      ...(teams ? (['teams'] as const) : []),
    ]);
    logger.info(
      { port: server.port, database: runtime.kind, where: runtime.where },
      `Asset Transfer Bot running: ${surfaces.join(', ')}; health and metrics on http://${config.HOST}:${server.port}/healthz and /metrics`,
    );
    cancelSettling = settleMemoryAfterStart();
  } catch (err) {
    logger.debug({ err: (err as Error).message, step }, 'start failed');
    // Whatever was opened is closed again, so a failed start exits at once.
    await stopAll();
    if (step === 'database') throw startFailure((err as Error).message);
    throw explainStartFailure(step, err, config);
  }

  const signal = await stopSignal();
  const stopping = Date.now();
  logger.info({ signal }, 'stopping: no new work, finishing what is in flight');
  await stopAll();
  exitAnyway(logger, STOP_WITHIN_MS - (Date.now() - stopping));
  return 0;
}

/**
 * SIGTERM to exit: what the README promises, whatever the database does. The steps' own bounds add up
 * to less; what outlives them (a request, a connection) is not waited for.
 */
const STOP_WITHIN_MS = 9_500;
/** What Slack's and Teams' acknowledged work is given to finish, side by side; most of it goes to what runs. */
const SURFACES_GRACE_MS = 4_500;

interface StopStep {
  name: string;
  /** How long the step may take; past it, the next one starts and `late` is called. */
  withinMs: number;
  run: () => Promise<unknown> | void | undefined;
  late?: () => void;
}

/** Runs each step in turn, each for at most its time, so that no step can hold the process. */
async function shutdown(logger: Logger, steps: StopStep[]): Promise<void> {
  for (const step of steps) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), step.withinMs)));
    const ran = Promise.resolve()
      .then(step.run)
      .catch((err: unknown) =>
        logger.warn({ err: (err as Error).message, step: step.name }, 'while stopping'),
      );
    const outcome = await Promise.race([ran, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      logger.warn(
        { step: step.name, ms: step.withinMs },
        'while stopping: a step took too long, left behind',
      );
      step.late?.();
    }
  }
}

/**
 * Everything is closed by now, so the process ends on its own; should something still hold it (a
 * socket or a timer of a library), it ends anyway once the promised time is up.
 */
function exitAnyway(logger: Logger, ms: number): void {
  setTimeout(
    () => {
      logger.warn('stopping: something still held the process; exiting anyway');
      process.exit();
    },
    Math.max(0, ms),
  ).unref();
}

/**
 * The console: the same core, acting as any inventory user; messages reach the inbox through the outbox.
 * On the embedded database it is the only process (the data folder's lock), so it runs the scheduled work
 * too: reminders, expiries, and marking what the bot says as delivered to the console. On a database
 * server the bot that serves Slack or Teams may run beside it, and delivers there what the console would
 * take for itself: the console then sends nothing and runs no scheduled work (`transfer-bot start` or
 * `jobs run` does), and `inbox` still shows what the bot addressed to the current user, wherever it went.
 */
export async function startConsoleOnly(
  config: Config,
  as: string | undefined,
  banner = false,
  io: ConsoleStreams = { input: process.stdin, output: process.stdout, errors: process.stderr },
): Promise<number> {
  initI18n();
  const logger = createLogger(
    { ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL },
    'stderr',
  );
  return withRuntime(config, true, async ({ deps, kind, where, upkeep }) => {
    const { seeded, emptyServer } = await seedIfEmpty(deps, kind);
    if (emptyServer) io.errors.write(`transfer-bot: ${EMPTY_SERVER}\n`);
    if (banner) {
      io.output.write(
        `Asset Transfer Bot — console on the ${kind} database (${where}). No Slack or Teams credentials set.\n`,
      );
      if (seeded) io.output.write(`Demo inventory loaded: ${seeded}\n`);
    }
    const senders = await consoleSenders(deps, kind);
    const scheduler =
      senders.length > 0
        ? startCronScheduler(deps, {
            senders,
            settings: reminderSettings(config),
            logger,
            upkeep,
            worker: { sole: true },
          })
        : undefined;
    try {
      return await runConsole({
        deps,
        input: io.input,
        output: io.output,
        interactive: Boolean((io.input as Readable & { isTTY?: boolean }).isTTY),
        as,
        afterCommand: async () => scheduler?.kick(),
        logger,
        // Said once the user is known, in their language.
        serverNote: scheduler ? undefined : io.errors,
      });
    } finally {
      await scheduler?.stop();
    }
  });
}

/**
 * How a process without a chat platform delivers: to the console on the embedded database, whose only
 * process it is, save what waits for a platform `start` has served the database on (a person linked on
 * Slack or Teams); on a server not at all, as the bot that serves Slack or Teams may run beside it and what
 * is due waits for it (the console's sender would take everyone's messages for its inbox).
 */
async function consoleSenders(deps: AppDeps, kind: Runtime['kind']): Promise<PlatformSender[]> {
  return kind === 'embedded' ? [await leavingServedPlatforms(deps, createConsoleSender())] : [];
}

/** Where the console reads commands and writes its replies and its one-line notes. */
export interface ConsoleStreams {
  input: Readable;
  output: Writable;
  errors: Writable;
}

/**
 * `transfer-bot jobs run`: reminders, escalations, expiries and pending deliveries, once. Delivers through
 * the platforms configured (their senders only: no receiver is started); without any, marks console
 * deliveries on the embedded database (save what waits for a platform `start` served it on, counted as
 * `waitingForPlatform`) and leaves deliveries to the bot on a server.
 */
export async function runJobsOnce(config: Config, progress?: Progress): Promise<string> {
  initI18n();
  const logger = createLogger(config, 'stderr');
  return withRuntime(config, true, async ({ deps, kind, upkeep }) => {
    const senders: PlatformSender[] = [];
    let slack: SlackAdapter | undefined;
    if (config.slackMode !== 'off') {
      try {
        slack = await (await loadSlack())({ deps, config, logger });
      } catch (err) {
        throw explainStartFailure('slack-auth', err, config);
      }
      senders.push(slack.sender);
    }
    if (config.teamsEnabled) senders.push((await loadTeams())({ deps, config, logger }).sender);
    if (senders.length === 0) senders.push(...(await consoleSenders(deps, kind)));
    try {
      const summary = await runDueJobs(deps, {
        senders,
        settings: reminderSettings(config),
        logger,
        upkeep,
        worker: { sole: kind === 'embedded' },
        onStep: (step, done, total) => progress?.update(`jobs: ${step}`, done, total, 'steps'),
      });
      progress?.end();
      return JSON.stringify(summary);
    } finally {
      await slack?.stop();
    }
  });
}
