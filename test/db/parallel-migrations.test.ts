import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';

/**
 * Several instances started at once on a new server database (a deployment scaled to three, or
 * `transfer-bot migrate` run by two jobs): each migrates, one after another, and none stops.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('migrations started together on one server', () => {
  const name = `transfer_bot_parallel_${randomBytes(6).toString('hex')}`;
  let admin: postgres.Sql;
  let url: string;

  beforeAll(async () => {
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(process.env.TEST_DATABASE_URL!);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it('runs them one after another: every instance starts, and the schema is made once', async () => {
    const instances = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: url, max: 2 })));
    try {
      const results = await Promise.allSettled(instances.map((d) => d.migrate()));
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'migrated'))).toEqual([
        'migrated',
        'migrated',
        'migrated',
      ]);
      for (const d of instances) expect(await d.pendingMigrations()).toEqual([]);
    } finally {
      await Promise.all(instances.map((d) => d.close()));
    }
  });
});
