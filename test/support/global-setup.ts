import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client.js';
import { generateSigningKeys } from './jwt.js';
import { useProcessFlagsHere } from './process-flags.js';
import { generateTestTls, trustInWorkers, type TestTls } from './test-tls.js';

/**
 * A fresh embedded database is a copy of the blank database built with the bot (or, without one, the
 * engine's own initdb: ≈5 s of CPU) and then every migration (≈2 s); copying a folder that already went
 * through both and opening the copy takes ≈0.7 s. So the run makes the folders once here, through the
 * bot's own embedded path (the same settings a running bot uses), and every test database and every
 * command-line process under test starts from a copy:
 * - `created`: a new data folder, never migrated (what a doctor test reports as lacking migrations);
 * - `migrated`: every migration applied, no rows.
 * On a PostgreSQL server (TEST_DATABASE_URL) a migrated template database plays the same part.
 * Also the HTTPS certificate of the identity provider stand-in, trusted by every worker started after this,
 * and the keys it signs with.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Each project of the run (vitest.config.ts) calls this; they share one preparation, removed after
  // the last of them is done.
  const shared = globalThis as { [RUN]?: Promise<Run> };
  shared[RUN] ??= prepare();
  const run = await shared[RUN];
  run.users += 1;
  project.provide('embeddedTemplates', run.templates);
  project.provide('testScratch', run.scratch);
  project.provide('postgresTemplate', run.serverTemplate?.name ?? '');
  project.provide('testTls', run.tls);
  project.provide('testSigningKeys', run.signingKeys);
  return async () => {
    run.users -= 1;
    if (run.users > 0) return;
    delete shared[RUN];
    await run.serverTemplate?.drop();
    if (run.previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = run.previousTmpdir;
    rmSync(run.dir, { recursive: true, force: true });
  };
}

const RUN = Symbol.for('transfer-bot.test-run');

interface Run {
  dir: string;
  scratch: string;
  templates: EmbeddedTemplates;
  serverTemplate: { name: string; drop(): Promise<void> } | undefined;
  tls: TestTls;
  signingKeys: string[];
  /** The runner's TMPDIR before the run's, given back when the run's folder goes. */
  previousTmpdir: string | undefined;
  users: number;
}

async function prepare(): Promise<Run> {
  // The runner compiles the embedded engine here, as the workers and the processes under test do.
  useProcessFlagsHere();
  const dir = mkdtempSync(join(scratchRoot(), 'transfer-bot-template-'));
  const scratch = join(dir, 'scratch');
  mkdirSync(scratch);
  const [templates, serverTemplate, tls, signingKeys] = await Promise.all([
    embeddedTemplates(dir),
    process.env.TEST_DATABASE_URL ? serverTemplateDatabase(process.env.TEST_DATABASE_URL) : undefined,
    generateTestTls(),
    generateSigningKeys(4),
  ]);
  trustInWorkers(tls, dir);
  // The workers, started after this, put their temporary files in the run's folder, removed with it.
  // vitest ends its workers with a signal, before any exit handler runs, so what a library removes only
  // when its process exits would stay (exceljs's streaming reader, which read files of references until
  // our own reader replaced it, kept each workbook's sheet in a temporary file until then), as would a
  // test's folder it forgot: about 200 files and 20 folders in /tmp after a dozen runs.
  const temporary = join(dir, 'tmp');
  mkdirSync(temporary);
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = temporary;
  return { dir, scratch, templates, serverTemplate, tls, signingKeys, previousTmpdir, users: 0 };
}

/**
 * Where the run's folders go: a run copies a 40 MB data folder and removes it again a hundred times and
 * more, which costs ≈0.35 s of wall time each on disk against ≈0.07 s in memory. So in memory (/dev/shm)
 * where the machine has it, else the system's temporary folder.
 */
function scratchRoot(): string {
  try {
    accessSync(SHARED_MEMORY, constants.W_OK);
    if (statSync(SHARED_MEMORY).isDirectory()) return SHARED_MEMORY;
  } catch {
    // No shared memory folder, or not ours to write: the disk.
  }
  return tmpdir();
}

const SHARED_MEMORY = '/dev/shm';

/** Two data folders (each a DATA_DIR holding `pg/`): one just created, one migrated. */
async function embeddedTemplates(dir: string): Promise<EmbeddedTemplates> {
  const created = join(dir, 'created');
  const migrated = join(dir, 'migrated');
  const fresh = await openDatabase({ dataDir: created });
  await fresh.close();
  cpSync(join(created, 'pg'), join(migrated, 'pg'), { recursive: true });
  const database = await openDatabase({ dataDir: migrated });
  await database.migrate();
  await database.close();
  return { created, migrated };
}

/** A migrated database on the server that test databases are created from (CREATE DATABASE … TEMPLATE). */
async function serverTemplateDatabase(adminUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `transfer_bot_template_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), max: 1 });
  try {
    await database.migrate();
  } finally {
    // A template must have no session open while databases are created from it.
    await database.close();
  }
  return {
    name,
    drop: async () => {
      // The test databases workers kept for reuse (test/support/db.ts), then the template.
      const kept = await admin<{ datname: string }[]>`
        select datname from pg_database where starts_with(datname, ${serverDatabasePrefix(name)})`;
      for (const { datname } of kept) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** The names of a run's test databases on the server start with this: made from `template`, dropped with it. */
export function serverDatabasePrefix(template: string): string {
  return `${template.replace('_template_', '_test_')}_`;
}

export interface EmbeddedTemplates {
  created: string;
  migrated: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplates: EmbeddedTemplates;
    /** A folder removed when the run ends: test databases and data folders are copied under it. */
    testScratch: string;
    /** The migrated template database on the PostgreSQL server; empty without TEST_DATABASE_URL. */
    postgresTemplate: string;
    testTls: TestTls;
    /** Four RSA private keys in PEM, for the identity provider stand-in to sign with. */
    testSigningKeys: string[];
  }
}
