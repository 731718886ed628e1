import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, PGLITE_EXTENSIONS, type Database } from '../../db/client.js';

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

/** A migrated, empty database of its own: a PGlite clone of the template, or a new database on the server. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const tar = readFileSync(inject('pgliteTemplate'));
    const client = await PGlite.create({ loadDataDir: new Blob([tar]), extensions: PGLITE_EXTENSIONS });
    const database = await openDatabase({ pglite: client });
    return { ...database, dispose: () => database.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `transfer_bot_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), max: 25 });
  await database.migrate();
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
