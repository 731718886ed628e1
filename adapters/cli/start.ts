import { join } from 'node:path';
import type { Logger } from 'pino';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import type { AppDeps } from '../../src/app/deps.js';
import { countOutboxWith } from '../../src/app/metrics.js';
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

/** First start on an empty database: the shipped demo inventory. */
const seedIfEmpty = (deps: AppDeps) => importIfEmpty(deps, DEMO_INVENTORY);

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
      () => cancelSettling?.(),
      () => server?.close(),
      () => slack?.stop(),
      () => teams?.stop(),
      () => scheduler?.stop(),
      // The depth is no longer counted from a database about to close.
      () => countOutboxWith(undefined),
      () => runtime.close(),
    ]);
  try {
    const { deps } = runtime;
    const seeded = await seedIfEmpty(deps);
    if (seeded) logger.info({ seeded }, 'demo inventory loaded into the empty database');
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
  logger.info({ signal }, 'stopping: no new work, finishing what is in flight');
  await stopAll();
  return 0;
}

async function shutdown(logger: Logger, steps: (() => Promise<void> | void | undefined)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'while stopping');
    }
  }
}

/** The console: the same core, acting as any inventory user; messages reach the inbox through the outbox. */
export async function startConsoleOnly(
  config: Config,
  as: string | undefined,
  banner = false,
): Promise<number> {
  initI18n();
  const logger = createLogger(
    { ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL },
    'stderr',
  );
  return withRuntime(config, true, async ({ deps, kind, where, upkeep }) => {
    const seeded = await seedIfEmpty(deps);
    if (banner) {
      process.stdout.write(
        `Asset Transfer Bot — console on the ${kind} database (${where}). No Slack or Teams credentials set.\n`,
      );
      if (seeded) process.stdout.write(`Demo inventory loaded: ${seeded}\n`);
    }
    const scheduler = startCronScheduler(deps, {
      senders: [createConsoleSender()],
      settings: reminderSettings(config),
      logger,
      upkeep,
      worker: { sole: kind === 'embedded' },
    });
    try {
      return await runConsole({
        deps,
        input: process.stdin,
        output: process.stdout,
        interactive: Boolean(process.stdin.isTTY),
        as,
        afterCommand: async () => scheduler.kick(),
        logger,
      });
    } finally {
      await scheduler.stop();
    }
  });
}

/**
 * `transfer-bot jobs run`: reminders, escalations, expiries and pending deliveries, once. Delivers through
 * the platforms configured (their senders only: no receiver is started), or marks console deliveries.
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
    if (senders.length === 0) senders.push(createConsoleSender());
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
