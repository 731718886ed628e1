import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/client.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { Config } from '../../src/config.js';
import { initI18n } from '../../src/i18n/index.js';
import { runConsole } from '../console/session.js';
import { importFile, isEmpty, withDatabase } from './commands.js';
import { appDeps, createLogger, openConfiguredDatabase } from './runtime.js';

export const DEMO_INVENTORY = fileURLToPath(new URL('../../data/demo-inventory.json', import.meta.url));

/** First start on an empty database: the shipped demo inventory, so a newcomer can walk a transfer at once. */
async function seedIfEmpty(database: Database): Promise<string | null> {
  if (!(await isEmpty(database))) return null;
  return importFile(database, DEMO_INVENTORY);
}

function consoleOptions(deps: AppDeps, config: Config, as: string | undefined) {
  return {
    deps,
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY),
    as,
    defaultTimeZone: config.TZ_DEFAULT,
  };
}

/** `transfer-bot start` (what `npm start` runs). */
export async function startBot(config: Config): Promise<number> {
  initI18n();
  const platforms = config.slackMode !== 'off' || config.teamsEnabled;
  if (!platforms) return startConsoleOnly(config, undefined, true);
  const logger = createLogger(config);
  const database = await openConfiguredDatabase(config, { migrate: true });
  const seeded = await seedIfEmpty(database);
  if (seeded) logger.info({ seeded }, 'demo inventory loaded into the empty database');
  logger.error('Slack and Teams surfaces are not wired in this build yet');
  await database.close();
  return 1;
}

/** The console: the same core, acting as any inventory user. */
export async function startConsoleOnly(config: Config, as: string | undefined, banner = false): Promise<number> {
  initI18n();
  return withDatabase(config, true, async (database) => {
    const seeded = await seedIfEmpty(database);
    if (banner) {
      process.stdout.write(
        `Asset Transfer Bot — console on the ${database.kind} database (${database.where}). No Slack or Teams credentials set.\n`,
      );
      if (seeded) process.stdout.write(`Demo inventory loaded: ${seeded}\n`);
    }
    return runConsole(consoleOptions(appDeps(database, config), config, as));
  });
}

export async function runJobsOnce(_config: Config): Promise<string> {
  throw new Error('jobs run is not wired yet');
}
