import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase, rowsOf, type Database } from '../../db/client.js';

export interface BenchDatabase {
  database: Database;
  /** For the output: which kind of database, and its version. */
  label: string;
  /** What a bot process started on the same data is given: DATABASE_URL, or DATA_DIR for the embedded one. */
  env: { DATABASE_URL: string } | { DATA_DIR: string };
  /** Closes our connection and keeps the data (so another process may open the embedded database). */
  close(): Promise<void>;
  /** Closes, and drops the scratch database or removes the folder. */
  dispose(): Promise<void>;
}

/** The server benchmarks run against, when one is given; otherwise the embedded database. */
export function benchServerUrl(): string | undefined {
  const url = process.env.BENCH_DATABASE_URL?.trim();
  return url ? url : undefined;
}

/**
 * A migrated, empty database of the benchmark's own: a scratch database on the BENCH_DATABASE_URL
 * server (dropped afterwards), or an embedded one in a temporary folder — on disk, as `DATA_DIR` is in use.
 */
export async function openBenchDatabase(
  purpose: string,
  options: { max?: number } = {},
): Promise<BenchDatabase> {
  const server = benchServerUrl();
  if (server) return openScratch(server, purpose, options.max ?? 10);
  const dataDir = mkdtempSync(join(tmpdir(), `transfer-bot-bench-${purpose}-`));
  const database = await openDatabase({ dataDir });
  await database.migrate();
  const version = await serverVersion(database);
  let closed = false;
  const close = async () => {
    if (!closed) await database.close();
    closed = true;
  };
  return {
    database,
    label: `embedded (PGlite, PostgreSQL ${version}, on disk)`,
    env: { DATA_DIR: dataDir },
    close,
    dispose: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openScratch(serverUrl: string, purpose: string, max: number): Promise<BenchDatabase> {
  const name = `transfer_bot_bench_${purpose.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: url.toString(), max });
    await database.migrate();
  } catch (err) {
    await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => undefined);
    await admin.end();
    throw err;
  }
  const version = await serverVersion(database);
  let closed = false;
  const close = async () => {
    if (!closed) await database.close().catch(() => undefined);
    closed = true;
  };
  return {
    database,
    label: `PostgreSQL ${version} (server)`,
    env: { DATABASE_URL: url.toString() },
    close,
    dispose: async () => {
      await close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

async function serverVersion(database: Database): Promise<string> {
  const [row] = rowsOf<{ server_version: string }>(await database.db.execute('show server_version'));
  return row?.server_version.split(' ')[0] ?? '?';
}

/** Runs a statement and returns its rows, whichever driver is underneath. */
export async function query<T>(database: Database, text: string): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(text));
}
