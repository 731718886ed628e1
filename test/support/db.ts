import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf, type Database, type Db } from '../../db/client.js';
import { serverDatabasePrefix, type EmbeddedTemplates } from './global-setup.js';

export type Driver = 'pglite' | 'postgres';

/** The drivers every database test runs on: PGlite always, a real server when TEST_DATABASE_URL is set. */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * The one driver a surface's tests (Slack, Teams, the console) run on: the server when the run has one, as
 * a bot in production runs, its pool taking statements side by side; PGlite otherwise. What a surface does
 * with a database is the core's (src/app), whose tests and the repositories' run on both drivers; a
 * surface only translates and draws, and drawing the same rows twice, once per driver, proved nothing more
 * for twice the time. The surface tests where the database itself is the subject run on both: two
 * instances on one database, replay floods, a database that fails or is down, the ack's record within
 * Slack's three seconds. The embedded database under a whole bot is also run by the command line's tests,
 * in processes started as an operator starts them.
 */
export const surfaceDrivers: Driver[] = [drivers.at(-1)!];

/**
 * How callers that start at once meet the database. PGlite has one connection and runs them one after
 * another, so a race test there only proves the answer is right in some order; the compare-and-sets
 * really race on the server, which CI runs whenever one answers (TEST_DATABASE_URL).
 */
function raceOn(driver: Driver): string {
  return driver === 'postgres'
    ? 'racing on separate connections to the PostgreSQL server'
    : 'taken in turn by PGlite (the real race runs on PostgreSQL)';
}

/** The drivers, each with what racing on it proves: for `describe.each(racers)('… $driver: $race', …)`. */
export const racers = drivers.map((driver) => ({ driver, race: raceOn(driver) }));

export interface TestDatabase extends Database {
  dispose(): Promise<void>;
  /** On a real server: the database's URL, for tests that need connections of their own (separate pools). */
  url?: string;
}

/**
 * A copy of one of the run's embedded data folders (see global-setup.ts) under the run's scratch folder,
 * ready to be a DATA_DIR: `migrated` (the default) has every migration and no rows, `created` none.
 */
export function copyEmbeddedTemplate(kind: keyof EmbeddedTemplates = 'migrated'): string {
  const dataDir = mkdtempSync(join(inject('testScratch'), 'data-'));
  cpSync(join(inject('embeddedTemplates')[kind], 'pg'), join(dataDir, 'pg'), { recursive: true });
  return dataDir;
}

/**
 * A migrated, empty database of its own: on PGlite a copy of the migrated template folder opened the way
 * the bot opens its embedded database; on the server a new database made from the migrated template. Or,
 * on either, one an earlier test in the same worker gave back, emptied (see below).
 */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const { database, dataDir } = spareDatabases().pop() ?? (await openEmbeddedCopy());
    return {
      ...database,
      dispose: async () => {
        if (
          spareDatabases().length < SPARE_DATABASES_PER_WORKER &&
          (await emptiedForReuse('pglite', database))
        ) {
          spareDatabases().push({ database, dataDir });
          return;
        }
        try {
          await database.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const template = inject('postgresTemplate');
  const admin = serverAdmin();
  const spare = serverSpares().pop();
  const name = spare ?? `${serverDatabasePrefix(template)}${randomBytes(6).toString('hex')}`;
  if (!spare) await admin.unsafe(`create database "${name}" template "${template}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), max: 25 });
  if (!spare) await freshShape('postgres', database.db);
  return {
    ...database,
    url: url.toString(),
    dispose: async () => {
      await database.close();
      if (
        serverSpares().length < SPARE_DATABASES_PER_WORKER &&
        (await serverEmptiedForReuse(admin, name, url.toString()))
      ) {
        serverSpares().push(name);
        return;
      }
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
    },
  };
}

/**
 * Opening a copy of the migrated template starts the embedded engine: ≈0.6 s, once for every test
 * database a run uses. A database a test is done with is emptied instead (its session reset, the rows
 * of the tables it wrote to deleted and those tables vacuumed, its sequences restarted: ≈0.12 s on a
 * busy run, 0.14 s when every table was emptied and vacuumed) and kept for the next test in the same
 * worker, unless the test changed more than rows: any table, column, index, constraint, trigger,
 * function, extension, role or row of the template's own (the status transitions, the migrations
 * applied) that differs from a fresh copy's, and it is closed and removed as before. A test that closed
 * its database itself, or left a transaction open, never gives it back either.
 */
interface Spare {
  database: Database;
  dataDir: string;
}

export const SPARE_DATABASES_PER_WORKER = 2;
const SPARES = Symbol.for('transfer-bot.test-spare-databases');
const SERVER_SPARES = Symbol.for('transfer-bot.test-spare-server-databases');
const SHAPES = Symbol.for('transfer-bot.test-template-shapes');

interface TemplateShape {
  /** Tables the template fills (their rows must stay as they are) and those it leaves empty. */
  filled: string[];
  emptied: string[];
  /** Everything else a fresh copy has, as one string to compare. */
  shape: string;
}

function spareDatabases(): Spare[] {
  const worker = globalThis as { [SPARES]?: Spare[] };
  return (worker[SPARES] ??= []);
}

/**
 * On the server a test database is made from the template (CREATE DATABASE … TEMPLATE, ≈0.3 s) and dropped
 * after (≈0.3 s), once for every test database a run uses: one a test is done with is emptied and kept for the next test in
 * the same worker instead, on the same terms as an embedded one, and only when no session is left on it
 * (a pool or a process the test did not close). Those kept at the run's end are dropped then.
 */
function serverSpares(): string[] {
  const worker = globalThis as { [SERVER_SPARES]?: string[] };
  return (worker[SERVER_SPARES] ??= []);
}

const ADMIN = Symbol.for('transfer-bot.test-server-admin');

/**
 * The worker's one session on the server's own database, which creates, checks and drops its test
 * databases: a new session costs the server ≈25 ms of CPU on this host, and each test database used to
 * open one. It closes itself after ten seconds unused and opens again when next needed.
 */
function serverAdmin(): postgres.Sql {
  const worker = globalThis as { [ADMIN]?: postgres.Sql };
  return (worker[ADMIN] ??= postgres(process.env.TEST_DATABASE_URL!, {
    max: 1,
    idle_timeout: 10,
    onnotice: () => undefined,
  }));
}

async function serverEmptiedForReuse(admin: postgres.Sql, name: string, url: string): Promise<boolean> {
  const [others] = await admin<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = ${name}`;
  if (others?.n !== 0) return false;
  let reset: Database | undefined;
  try {
    reset = await openDatabase({ databaseUrl: url, max: 1 });
    return await emptiedForReuse('postgres', reset);
  } catch {
    return false;
  } finally {
    await reset?.close();
  }
}

async function openEmbeddedCopy(): Promise<Spare> {
  const dataDir = copyEmbeddedTemplate();
  const database = await openDatabase({ dataDir });
  await freshShape('pglite', database.db);
  return { database, dataDir };
}

/** The shapes of a fresh copy of the template, on each driver: taken once per worker, from the first one. */
function shapes(): Partial<Record<Driver, Promise<TemplateShape>>> {
  const worker = globalThis as { [SHAPES]?: Partial<Record<Driver, Promise<TemplateShape>>> };
  return (worker[SHAPES] ??= {});
}

/** Takes the template's shape on `driver` from `db`, a fresh copy, unless the worker has it already. */
function freshShape(driver: Driver, db: Db): Promise<TemplateShape> {
  const known = shapes();
  return (known[driver] ??= templateShape(db).catch((err: unknown) => {
    delete known[driver];
    throw err;
  }));
}

async function templateShape(db: Db): Promise<TemplateShape> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(
      sql.raw(`select format('%I.%I', n.nspname, c.relname) as name from pg_class c
                 join pg_namespace n on n.oid = c.relnamespace
                where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
                  and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%' order by 1`),
    ),
  );
  const filled: string[] = [];
  const emptied: string[] = [];
  for (const { name } of tables) {
    const [row] = rowsOf<{ filled: boolean }>(
      await db.execute(sql.raw(`select exists (select from ${name}) as filled`)),
    );
    (row?.filled ? filled : emptied).push(name);
  }
  return { filled, emptied, shape: await shapeOf(db, filled) };
}

/** The database's objects, and the contents of the tables the template fills, as one string. */
async function shapeOf(db: Db, filledTables: string[]): Promise<string> {
  const contents = filledTables.map(
    (table) =>
      `select format('rows %s %s', '${table}', string_agg(t::text, ';' order by t::text)) from ${table} t`,
  );
  const [row] = rowsOf<{ shape: string }>(
    await db.execute(
      sql.raw(`select string_agg(x, E'\\n' order by x) as shape from (
        select format('class %s.%s %s', n.nspname, c.relname, c.relkind) from pg_class c
          join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema')
          and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
        union all select format('column %s.%s %s %s %s', a.attrelid::regclass, a.attname,
          format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)) from pg_attribute a
          join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
          left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
          where n.nspname = 'public' and a.attnum > 0 and not a.attisdropped
        union all select format('constraint %s %s', conrelid::regclass, pg_get_constraintdef(oid)) from pg_constraint
          where connamespace = 'public'::regnamespace
        union all select format('trigger %s %s %s', tgrelid::regclass, tgname, tgenabled) from pg_trigger where not tgisinternal
        union all select format('function %s %s', p.oid::regprocedure, md5(p.prosrc)) from pg_proc p
          join pg_namespace n on n.oid = p.pronamespace where n.nspname not in ('pg_catalog', 'information_schema')
        union all select format('extension %s %s', extname, extversion) from pg_extension
        union all select format('role %s', rolname) from pg_roles
        union all select format('database %s %s %s', datallowconn, datconnlimit, array_to_string(s.setconfig, ' '))
          from pg_database d left join pg_db_role_setting s on s.setdatabase = d.oid where d.datname = current_database()
        ${contents.map((q) => `union all ${q}`).join('\n')}
      ) s (x)`),
    ),
  );
  return row?.shape ?? '';
}

/** Whether `database` is empty again and shaped as a fresh copy on `driver`, ready for the next test. */
async function emptiedForReuse(driver: Driver, database: Database): Promise<boolean> {
  try {
    const template = await shapes()[driver];
    if (!template) return false;
    const { db } = database;
    // Outside any transaction a test left open (this fails inside one: the database is not reused).
    await db.execute(sql.raw('discard all'));
    if ((await shapeOf(db, template.filled)) !== template.shape) return false;
    // History refuses deletes by a trigger; the replica role fires neither it nor the foreign keys' checks
    // (the second `discard all` sets the role back).
    await db.execute(sql.raw('set session_replication_role = replica'));
    // Only the tables a test wrote to: a table's file is empty until a row is written, and again once
    // its rows are deleted and it is vacuumed, so its size tells which (a test that emptied one itself
    // left dead rows, and it is vacuumed too).
    const written = rowsOf<{ name: string }>(
      await db.execute(
        sql.raw(
          `select name from unnest(array[${template.emptied.map((t) => `'${t}'`).join(', ')}]::text[]) as name
            where pg_relation_size(name::regclass) > 0`,
        ),
      ),
    ).map((row) => row.name);
    for (const table of written) await db.execute(sql.raw(`delete from ${table}`));
    await db.execute(
      sql.raw(
        `select setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) from pg_sequences where schemaname = 'public'`,
      ),
    );
    if (written.length > 0) await db.execute(sql.raw(`vacuum ${written.join(', ')}`));
    await db.execute(sql.raw('discard all'));
    return true;
  } catch {
    return false;
  }
}
