import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { answerDeadlines, type AnswerDeadlines } from './answer-deadline.js';
import { DatabaseLockedError, DatabaseOpenError, embeddedOpenFix, takeLock } from './data-folder.js';

export { DatabaseLockedError, DatabaseOpenError, embeddedHolder, embeddedOpenFix } from './data-folder.js';
export { UnsafeParameterError } from './parameter-guard.js';
export { pgErrorCode, redactUrl, rowsOf } from './pg-errors.js';
import { parameterGuard } from './parameter-guard.js';
import { pgErrorCode, redactUrl, rowsOf } from './pg-errors.js';
import { seedFromBlankDatabase, startPglite } from './embedded-engine.js';
import { prepareOnServer } from './prepared.js';
import type { Upkeep } from './upkeep.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** One type for both drivers: repositories never know which one they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database or an open transaction. */
export type Q = Db | Tx;

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  where: string;
  migrate(): Promise<void>;
  /** Tags of the migrations this version ships that the database has not applied yet, oldest first. */
  pendingMigrations(): Promise<string[]>;
  ping(): Promise<boolean>;
  /** As `ping`, with what the database said when it did not answer (undefined: it answered). */
  whyNoAnswer(): Promise<Error | undefined>;
  /** The embedded database's vacuum and statistics, by autovacuum's rules (db/upkeep.ts); none on a server. */
  upkeep: () => Promise<Upkeep>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** An already-open PGlite (tests clone a migrated template into one). */
  pglite?: PGlite;
  /** postgres.js pool size. */
  max?: number;
  /**
   * On a server: how long the server may stay silent while it owes an answer before the connection is
   * reset and its statement (and transaction) fails (default `ANSWER_DEADLINE_MS`).
   */
  answerDeadlineMs?: number;
  /** On a server: how long a new connection may take to be ready for queries (default `CONNECT_DEADLINE_MS`). */
  connectDeadlineMs?: number;
}

/**
 * The longest a server may stay silent while it owes an answer. It counts the silence before each
 * message, not a statement's or a transaction's whole time: the benchmarks' 10,000-item transfer was
 * silent 0.4 s at most, the sweep over 100,000 due reminders (with its seed) 3.3–4.0 s, on a host where
 * slower ones took twice as long. A person told after it that their change failed can try again at once.
 */
export const ANSWER_DEADLINE_MS = 15_000;
/** A new connection: TCP connect, authentication and the driver's first query for types. */
export const CONNECT_DEADLINE_MS = 5_000;
/** What statements still running when the database is closed are given. */
const CLOSE_GRACE_MS = 2_000;
/** Idle connections are probed from this long on, so a server gone without a word is found out. */
const KEEPALIVE_SECONDS = 10;

/**
 * Each driver is loaded when a database of its kind is opened: a bot on a PostgreSQL server never loads
 * the embedded engine, and the embedded one never loads the server's driver.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  if (options.pglite) return wrapPglite(options.pglite, 'memory', () => undefined);
  return openEmbedded(resolve(options.dataDir ?? './.data'));
}

/**
 * How long a pooled connection waits before its next attempt after the server could not be reached,
 * by how many attempts failed in a row across the pool. The driver's own delay grows to 10–20 s after
 * a few seconds of outage, so a bot would stay unable to answer that long after the server is back; this
 * one stays under a second (with jitter, so the pool's connections do not retry in step).
 */
export function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

/**
 * Instances started together on one server (or `migrate` run twice) migrate one after another, the
 * later ones then finding nothing left to do: two at once collide in the server's catalog (a duplicate
 * type, a duplicate key) and all but one stop. The turn is a session lock held on a connection of its own
 * (a pool may have one connection only), asked again every 200 ms rather than waited for in one statement.
 */
async function oneMigrationAtATime(
  session: import('postgres').Sql,
  migrate: () => Promise<void>,
): Promise<void> {
  try {
    for (;;) {
      const [row] = await session<
        { got: boolean }[]
      >`select pg_try_advisory_lock(hashtext('transfer-bot migrations')) as got`;
      if (row?.got) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    try {
      await migrate();
    } finally {
      await session`select pg_advisory_unlock(hashtext('transfer-bot migrations'))`;
    }
  } finally {
    await session.end();
  }
}

/** Per pool on a server: whether a connection has waited too long for an answer (ping reads it). */
const watches = new WeakMap<Db, AnswerDeadlines>();

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const [
    { default: postgres },
    { drizzle: drizzlePostgres },
    { migrate: migratePostgres },
    { PostgresJsSession },
  ] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
    import('drizzle-orm/postgres-js/migrator'),
    import('drizzle-orm/postgres-js/session'),
  ]);
  prepareOnServer(PostgresJsSession);
  const deadlines = answerDeadlines(options.answerDeadlineMs ?? ANSWER_DEADLINE_MS);
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    backoff: reconnectDelaySeconds,
    // postgres.js takes whole seconds here and rounds up nothing: at least one.
    connect_timeout: Math.max(1, Math.round((options.connectDeadlineMs ?? CONNECT_DEADLINE_MS) / 1000)),
    keep_alive: KEEPALIVE_SECONDS,
    // postgres.js takes a socket of the caller's (its `socket` option) though its typings omit it.
    ...{ socket: deadlines.socket },
  });
  const db = drizzlePostgres(sql, { schema, logger: parameterGuard }) as unknown as Db;
  watches.set(db, deadlines);
  return {
    db,
    kind: 'postgres',
    where: redactUrl(url),
    migrate: () =>
      oneMigrationAtATime(postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 5 }), () =>
        migratePostgres(drizzlePostgres(sql), { migrationsFolder: MIGRATIONS_DIR }),
      ),
    pendingMigrations: () => pendingMigrations(db),
    ping: () => ping(db),
    whyNoAnswer: () => whyNoAnswer(db),
    upkeep: () => Promise.resolve({ vacuumed: [], analyzed: [] }),
    // Idle connections end at once; statements still running get two seconds. Then every connection
    // left is reset and no new one is opened, answered or not: a server that no longer answers cannot
    // keep the process alive (the driver's own timeout would end them politely, leaving each to wait
    // for the server's goodbye).
    close: async () => {
      const ending = sql.end().catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ending, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
      deadlines.closeAll();
    },
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const pgDir = join(dataDir, 'pg');
  let release: () => void;
  try {
    mkdirSync(dataDir, { recursive: true });
    release = takeLock(dataDir);
  } catch (err) {
    if (err instanceof DatabaseLockedError) throw err;
    throw new DatabaseOpenError(
      `the embedded database folder ${dataDir} cannot be used (${(err as Error).message})`,
      embeddedOpenFix(err),
    );
  }
  let client: PGlite;
  try {
    // A folder with no database yet starts from a copy of the blank one built with the bot, if any.
    seedFromBlankDatabase(pgDir);
    client = await startPglite(pgDir);
  } catch (err) {
    release();
    throw new DatabaseOpenError(
      `the embedded database in ${pgDir} cannot be opened (${(err as Error).message || 'unreadable data'})`,
      embeddedOpenFix(err),
    );
  }
  return wrapPglite(client, pgDir, release);
}

async function wrapPglite(client: PGlite, where: string, release: () => void): Promise<Database> {
  const [{ types }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  sendJsonAsBinary(client, types.JSONB);
  // Statements kept first, so that the parsers' adjustment (below) applies to them as to every query.
  (await import('./pglite-statements.js')).keepStatementsOnPglite(client);
  (await import('./pglite-parsers.js')).parseAsTextOnce(client);
  const db = drizzlePglite(client, { schema, logger: parameterGuard }) as unknown as Db;
  return {
    db,
    kind: 'embedded',
    where,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR }),
    pendingMigrations: () => pendingMigrations(db),
    ping: () => ping(db),
    whyNoAnswer: () => whyNoAnswer(db),
    upkeep: async () => (await import('./upkeep.js')).upkeep(db),
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * PGlite sends a text parameter by measuring its UTF-8 length in a JavaScript loop over every character,
 * twice; the bulk writes pass thousands of rows as one JSON parameter (megabytes per statement), so that
 * loop alone took a tenth of a 100,000-reminder sweep. A `jsonb` parameter goes in PostgreSQL's binary
 * form instead — a version byte, then the same UTF-8 text — which PGlite copies as it is and Node encodes
 * natively. The server parses the same text either way.
 */
function sendJsonAsBinary(client: PGlite, jsonb: number): void {
  const asText = client.serializers[jsonb] ?? ((value: unknown) => JSON.stringify(value));
  const asBinary = (value: unknown): Uint8Array => {
    const text = typeof value === 'string' ? value : String(asText(value));
    const bytes = Buffer.allocUnsafe(Buffer.byteLength(text) + 1);
    bytes[0] = 1; // jsonb's binary format version
    bytes.write(text, 1);
    return bytes;
  };
  // Typed as returning text, but PGlite's writer sends a byte array as a binary parameter (test/db/json-parameters.test.ts).
  client.serializers[jsonb] = asBinary as unknown as (typeof client.serializers)[number];
}

/**
 * Whether the database answers now, within `timeoutMs`: a server behind a network that drops packets
 * never refuses, so without a bound the health check would hang as long as the operating system keeps
 * retransmitting (minutes) instead of saying the bot cannot work. On a server, a pool where some
 * connection has waited half its answer deadline is not healthy either, even when `select 1` finds a
 * free connection that answers: the requests on the others hang (half, so that the bot's longest
 * legitimate silences, a few seconds, do not turn the health check red).
 */
export async function ping(db: Db, timeoutMs = 3_000): Promise<boolean> {
  return (await whyNoAnswer(db, timeoutMs)) === undefined;
}

/** What `ping` found: undefined when the database answered, else the error it gave (or a timeout's). */
export async function whyNoAnswer(db: Db, timeoutMs = 3_000): Promise<Error | undefined> {
  if (watches.get(db)?.stalled()) return new Error('a connection has waited too long for an answer');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Error>((resolve) => {
    timer = setTimeout(
      () => resolve(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
  });
  const answered = db.execute('select 1').then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What drizzle's migrator would apply: the journal's migrations newer than the last one recorded in
 * drizzle.__drizzle_migrations (it compares the same timestamps). No table yet: all of them.
 */
async function pendingMigrations(db: Db): Promise<string[]> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  let last = -1;
  try {
    const [row] = rowsOf<{ at: string | number | null }>(
      await db.execute('select max(created_at) as at from drizzle.__drizzle_migrations'),
    );
    last = row?.at === null || row?.at === undefined ? -1 : Number(row.at);
  } catch (err) {
    // undefined_table / invalid_schema_name: never migrated
    const code = pgErrorCode(err);
    if (code !== '42P01' && code !== '3F000') throw err;
  }
  return journal.entries.filter((e) => e.when > last).map((e) => e.tag);
}
