import { join, resolve } from 'node:path';
import { DatabaseLockedError, DatabaseOpenError, openDatabase, type Database } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { Config } from '../../src/config.js';
import { UserError } from './runtime.js';

/**
 * The composition root: the one place that knows both the database (db/) and the application, and hands
 * the application its store. Everything else asks src/app, which asks its ports.
 */

/** The application on the configured database, and what an operator is told about that database. */
export interface Runtime {
  deps: AppDeps;
  kind: Database['kind'];
  /** Where the data lives, for messages (never a password). */
  where: string;
  close(): Promise<void>;
}

/** Opens (and migrates) the configured database, turning every failure into one readable line. */
export async function openRuntime(config: Config, options: { migrate: boolean }): Promise<Runtime> {
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
  return {
    deps: {
      store: createStore(database.db),
      now: () => new Date(),
      config: {
        consentExpireAfterMs: config.CONSENT_EXPIRE_AFTER,
        exportDir: resolve(join(config.DATA_DIR, 'exports')),
        defaultTimeZone: config.TZ_DEFAULT,
        supportContact: config.SUPPORT_CONTACT,
      },
    },
    kind: database.kind,
    where: database.where,
    close: () => database.close(),
  };
}

/** Runs `work` with the configured database open, and always closes it. */
export async function withRuntime<T>(
  config: Config,
  migrate: boolean,
  work: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const runtime = await openRuntime(config, { migrate });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}
