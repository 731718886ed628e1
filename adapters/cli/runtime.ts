import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { DatabaseLockedError, DatabaseOpenError, openDatabase, type Database } from '../../db/client.js';
import type { AppDeps } from '../../src/app/deps.js';
import { loadConfig, type Config } from '../../src/config.js';

/** A refusal or bad input: one line on stderr, exit 1 (INTERFACES §1). */
export class UserError extends Error {}

/** Bad usage of the command line: exit 2. */
export class UsageError extends Error {}

export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new UserError(`bad environment: ${result.errors.join('; ')}`);
  return result.config;
}

/** Secrets never reach the log, whatever shape the object logged has. */
export function createLogger(config: Config, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      redact: {
        paths: [
          '*.token',
          '*.password',
          '*.secret',
          '*.authorization',
          '*.headers.authorization',
          'config.SLACK_BOT_TOKEN',
          'config.SLACK_APP_TOKEN',
          'config.SLACK_SIGNING_SECRET',
          'config.MICROSOFT_APP_PASSWORD',
          'config.DATABASE_URL',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(destination === 'stdout' ? 1 : 2),
  );
}

/** Opens (and migrates) the configured database, turning every failure into one readable line. */
export async function openConfiguredDatabase(
  config: Config,
  options: { migrate: boolean },
): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  } catch (err) {
    if (err instanceof DatabaseLockedError || err instanceof DatabaseOpenError)
      throw new UserError(err.message);
    throw new UserError(`cannot open the database: ${(err as Error).message}`);
  }
  if (options.migrate) {
    try {
      await database.migrate();
    } catch (err) {
      await database.close().catch(() => undefined);
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new UserError(`cannot migrate the database at ${database.where}: ${cause}`);
    }
  } else if (!(await database.ping())) {
    await database.close().catch(() => undefined);
    throw new UserError(`the database at ${database.where} does not answer`);
  }
  return database;
}

export function appDeps(database: Database, config: Config): AppDeps {
  return {
    db: database.db,
    now: () => new Date(),
    config: {
      consentExpireAfterMs: config.CONSENT_EXPIRE_AFTER,
      exportDir: resolve(join(config.DATA_DIR, 'exports')),
    },
  };
}
