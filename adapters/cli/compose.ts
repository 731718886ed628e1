import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DatabaseLockedError,
  DatabaseOpenError,
  embeddedHolder,
  embeddedOpenFix,
  openDatabase,
  type Database,
} from '../../db/client.js';
import { explainServerFailure } from '../../db/server-failure.js';
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
  /** Migrations this version ships that the database lacks (`transfer-bot migrate` applies them). */
  pendingMigrations(): Promise<string[]>;
  /** The embedded database's vacuum and planner statistics, for the tables changed enough (see Database). */
  upkeep: Database['upkeep'];
  close(): Promise<void>;
}

/** The embedded database's folder, whether it was created yet, and the live process holding it, if any. */
export function embeddedState(
  config: Config,
): { where: string; exists: boolean; holder: number | undefined } | undefined {
  if (config.DATABASE_URL) return undefined;
  const where = resolve(join(config.DATA_DIR, 'pg'));
  return { where, exists: existsSync(join(where, 'PG_VERSION')), holder: embeddedHolder(config.DATA_DIR) };
}

/** What `doctor` says of a database that could not be opened: what happened, and what to do about it. */
export function openFailure(err: unknown, config: Config): { detail: string; fix: string } {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof DatabaseOpenError) return { detail: cause.message, fix: cause.fix };
  return {
    detail: (err as Error).message,
    fix: config.DATABASE_URL
      ? 'check DATABASE_URL (host, port, database, user, password) and that the server runs'
      : embeddedOpenFix(err),
  };
}

/** Opens (and migrates) the configured database, turning every failure into one readable line. */
export async function openRuntime(
  config: Config,
  options: {
    migrate: boolean;
    /** Migrations applied of those pending: before (0 of N) and after (N of N); nothing when none were. */
    onMigrate?: (done: number, total: number) => void;
  },
): Promise<Runtime> {
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  } catch (err) {
    if (err instanceof DatabaseOpenError) throw new UserError(`${err.message}; ${err.fix}`, { cause: err });
    if (err instanceof DatabaseLockedError) throw new UserError(err.message);
    throw new UserError(`cannot open the database: ${(err as Error).message}`);
  }
  if (options.migrate) {
    try {
      const pending = options.onMigrate ? (await database.pendingMigrations()).length : 0;
      if (pending > 0) options.onMigrate?.(0, pending);
      await database.migrate();
      if (pending > 0) options.onMigrate?.(pending, pending);
    } catch (err) {
      await database.close().catch(() => undefined);
      const refused = database.kind === 'postgres' ? explainServerFailure(err, database.where) : undefined;
      if (refused) throw new UserError(`${refused.message}: ${refused.fix}`, { cause: refused });
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new UserError(`cannot migrate the database at ${database.where}: ${cause}`);
    }
  } else {
    const silent = await database.whyNoAnswer();
    if (silent) {
      await database.close().catch(() => undefined);
      const refused = database.kind === 'postgres' ? explainServerFailure(silent, database.where) : undefined;
      if (refused) throw new UserError(`${refused.message}: ${refused.fix}`, { cause: refused });
      throw new UserError(`the database at ${database.where} does not answer (${silent.message})`);
    }
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
        keepDeliveredMs: config.OUTBOX_KEEP,
        complianceLocale: config.COMPLIANCE_LOCALE,
      },
    },
    kind: database.kind,
    where: database.where,
    pendingMigrations: () => database.pendingMigrations(),
    upkeep: () => database.upkeep(),
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
