import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDatabase, rowsOf, type Database } from '../../db/client.js';
import { createStore } from '../../db/store.js';
import { copyEmbeddedTemplate, drivers, type Driver } from '../support/db.js';

/** The migrations as they were before identities had their own table. */
function migrationsBeforeIdentities(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-before-identities-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((entry) => entry.tag === '0006_user_identities');
  journal.entries = journal.entries.slice(0, end);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/** An empty database, not migrated at all. */
async function blankDatabase(driver: Driver): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (driver === 'pglite') {
    const dataDir = copyEmbeddedTemplate('created');
    const database = await openDatabase({ dataDir });
    return {
      database,
      dispose: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  const name = `transfer_bot_test_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), max: 2 });
  return {
    database,
    dispose: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

// Every migration runs here, twice over, from an empty database: more than the default 30 s on a busy machine.
describe.each(drivers)('platform ids move to their own rows (%s)', { timeout: 90_000 }, (driver) => {
  const before = migrationsBeforeIdentities();
  afterAll(() => rmSync(before, { recursive: true, force: true }));

  it('keeps every Slack and Teams id people had, each person found by it afterwards', async () => {
    const blank = await blankDatabase(driver);
    const { database } = blank;
    try {
      const migrateTo = driver === 'pglite' ? migratePglite : migratePostgres;
      await migrateTo(database.db as never, { migrationsFolder: before });
      await database.db.execute(sql`insert into users (email, name, slack_user_id, teams_user_id) values
        ('both@example.test', 'Both', 'UBOTH', '29:both'),
        ('slack@example.test', 'Slack only', 'USLACK', null),
        ('none@example.test', 'Nobody yet', null, null)`);

      await database.migrate();

      const users = createStore(database.db).users;
      const identities = async (email: string) => (await users.findUser({ email }))?.identities;
      expect(await identities('both@example.test')).toEqual({ slack: 'UBOTH', teams: '29:both' });
      expect(await identities('slack@example.test')).toEqual({ slack: 'USLACK' });
      expect(await identities('none@example.test')).toEqual({});
      const found = await users.findUser({ identity: { platform: 'teams', externalId: '29:both' } });
      expect(found?.email).toBe('both@example.test');
      const columns = rowsOf<{ column_name: string }>(
        await database.db.execute(
          sql`select column_name from information_schema.columns where table_name = 'users' and column_name like '%user_id'`,
        ),
      );
      expect(columns).toEqual([]);
    } finally {
      await blank.dispose();
    }
  });
});
