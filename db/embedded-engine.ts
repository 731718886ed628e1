import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Extensions the migrations create (pg_trgm: the typeahead's free-text index). PGlite links them at
 * start, so every PGlite this project opens — on disk, in memory, a test clone — must be given them.
 * Loaded with the embedded engine, never by a bot on a server.
 */
async function pgliteExtensions() {
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  return { pg_trgm };
}

/**
 * The embedded engine lives in this process's memory, and every page of it once touched stays resident:
 * PostgreSQL's default 128 MB of shared buffers and 64 MB of maintenance memory would hold a bot at rest
 * above 400 MiB. The operating system still caches the data files.
 */
const EMBEDDED_SETTINGS = [
  '-c',
  'shared_buffers=32MB',
  '-c',
  'maintenance_work_mem=16MB',
  // The log's buffers: by default a 32nd of the shared buffers (1 MB). The embedded engine has no
  // background writer for them, so a transaction writing more than that wrote its log 8 kB at a time as
  // the buffers filled (a batch of the 100,000-reminder sweep writes about 4 MB): 30,000 of the sweep
  // benchmark's 120,000 writes to disk, each a call through the engine's file layer. With 16 MB,
  // PostgreSQL's own largest default, the log goes out in large writes when a transaction commits. The
  // engine zeroes them at start, up to 15 MB more resident (the idle Slack bot measured 277.5 MiB with
  // them, 281.3 without: within the runs' swing).
  '-c',
  'wal_buffers=16MB',
];

/** Starts the embedded engine on the data folder `pgDir`, creating a database there (initdb) if none is. */
export async function startPglite(pgDir: string): Promise<PGlite> {
  mkdirSync(pgDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({
    dataDir: pgDir,
    extensions: await pgliteExtensions(),
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
  });
}

/**
 * A blank embedded database (initdb done, no migration applied), made once when the bot is built
 * (`npm run build`, which `npm ci` runs) by the engine installed with it. Creating a database is the
 * engine's heaviest work: 4.8–6.5 s and a peak of 800–950 MiB on Node 20 (1.16–1.26 GiB on Node 24).
 * A new data folder starts from a copy of this one instead (0.2–0.35 s for its 40 MB), then migrates as
 * any folder does.
 */
export const BLANK_DATABASE_DIR = fileURLToPath(new URL('../dist/blank-database/', import.meta.url));

/** Written last into the blank database's folder: which engine made it. A folder without it is unfinished. */
const MADE_BY = 'made-by.json';

/** The installed engine's version: a blank database made by another version is never used. */
function engineVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = dirname(entry);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === '@electric-sql/pglite' && parsed.version) return parsed.version;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('the embedded engine’s version is not known');
    dir = up;
  }
}

interface MadeBy {
  engine: string;
}

/** Whether `dir` holds a finished blank database made by the engine installed now. */
export function blankDatabaseUsable(dir: string = BLANK_DATABASE_DIR): boolean {
  try {
    const madeBy = JSON.parse(readFileSync(join(dir, MADE_BY), 'utf8')) as Partial<MadeBy>;
    return madeBy.engine === engineVersion() && existsSync(join(dir, 'pg', 'PG_VERSION'));
  } catch {
    return false;
  }
}

/**
 * Makes the blank database in `dir` unless a usable one is there: created beside it, then renamed into
 * place, so that a folder found there is always whole. Returns whether it made one.
 */
export async function makeBlankDatabase(dir: string = BLANK_DATABASE_DIR): Promise<boolean> {
  if (blankDatabaseUsable(dir)) return false;
  const making = `${dir.replace(/[\\/]+$/u, '')}.${process.pid}.tmp`;
  rmSync(making, { recursive: true, force: true });
  try {
    const client = await startPglite(join(making, 'pg'));
    await client.close();
    const madeBy: MadeBy = { engine: engineVersion() };
    writeFileSync(join(making, MADE_BY), `${JSON.stringify(madeBy)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(making, dir);
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
  return true;
}

/**
 * Gives a data folder with no database yet (`pgDir` absent or empty) a copy of the blank database, when
 * a usable one was built: copied beside it and renamed into place, so that a start interrupted while
 * copying leaves no half database. Returns whether it did; without one, or when the copy fails, the
 * engine creates the database itself as it starts. The caller holds the data folder's lock; `copy` is
 * how a folder is copied (a test's stands in for one that fails).
 */
export function seedFromBlankDatabase(
  pgDir: string,
  blank: string = BLANK_DATABASE_DIR,
  copy: (from: string, to: string) => void = (from, to) => cpSync(from, to, { recursive: true }),
): boolean {
  if (existsSync(pgDir) && readdirSync(pgDir).length > 0) return false;
  if (!blankDatabaseUsable(blank)) return false;
  // A copy that a start left half done when it died: under the lock, no other start is copying.
  const parent = dirname(pgDir);
  const name = basename(pgDir);
  for (const entry of existsSync(parent) ? readdirSync(parent) : [])
    if (entry.startsWith(`${name}.`) && entry.endsWith('.tmp'))
      rmSync(join(parent, entry), { recursive: true, force: true });
  const copying = `${pgDir}.${process.pid}.tmp`;
  try {
    copy(join(blank, 'pg'), copying);
    rmSync(pgDir, { recursive: true, force: true });
    renameSync(copying, pgDir);
    return true;
  } catch {
    // The copy is only quicker: whatever stops it (a file it may not read, a full disk), the engine
    // creates the database as it would without one, and says so itself if it cannot either.
    return false;
  } finally {
    rmSync(copying, { recursive: true, force: true });
  }
}
