import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import type { EmbeddedTemplates } from './global-setup.js';

export type Driver = 'pglite' | 'postgres';

/** The drivers every database test runs on: PGlite always, a real server when TEST_DATABASE_URL is set. */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

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
 * the bot opens its embedded database; on the server a new database made from the migrated template.
 */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const dataDir = copyEmbeddedTemplate();
    const database = await openDatabase({ dataDir });
    return {
      ...database,
      dispose: async () => {
        try {
          await database.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `transfer_bot_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}" template "${inject('postgresTemplate')}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), max: 25 });
  return {
    ...database,
    url: url.toString(),
    dispose: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
