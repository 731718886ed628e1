import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { parseAsTextOnce } from '../../db/pglite-parsers.js';
import { history } from '../../db/schema.js';
import { copyEmbeddedTemplate, createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * On the embedded database, dates and times are read as text by the client once and for all
 * (db/pglite-parsers.ts) instead of with parsers passed on every query: what the application reads is the
 * same — in a transaction or not — and a query that asks for no parsers still gets PGlite's own.
 */
describe('dates on the embedded database', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database.dispose());

  it('reads back the instant a history row was written at, in a transaction and outside', async () => {
    const at = new Date('2026-03-29T01:30:00.123Z');
    await database.db.transaction(async (tx) => {
      await tx.insert(history).values({ at, actor: 'a@example.com', surface: 'cli', action: 'test' });
      const [inside] = await tx.select({ at: history.at }).from(history);
      expect(inside?.at).toEqual(at);
    });
    const [outside] = await database.db.select({ at: history.at }).from(history);
    expect(outside?.at).toEqual(at);
    const result = await database.db.execute(sql`select ${history.at} as at from ${history}`);
    expect(String(rowsOf<{ at: unknown }>(result)[0]?.at)).toMatch(/^2026-03-29 01:30:00\.123/);
  });

  it('leaves PGlite parsing dates for a query that asks for no parsers of its own', async () => {
    // A client of PGlite's own, without ours: on a copy of the run's just-created data folder (a new
    // in-memory one would run initdb, ≈5 s of CPU).
    const dataDir = copyEmbeddedTemplate('created');
    const client = new PGlite(join(dataDir, 'pg'));
    try {
      const query = `select '2026-03-29T01:30:00Z'::timestamptz as at, '2026-03-29'::date as day, 7 as n,
        array['2026-03-29T01:30:00Z'::timestamptz, null] as ats, array['2026-03-29'::date] as days,
        array['2026-03-29T01:30:00'::timestamp] as locals`;
      const before = (await client.query(query)).rows;
      parseAsTextOnce(client);
      parseAsTextOnce(client);
      expect((await client.query(query)).rows).toEqual(before);
      expect(await client.transaction(async (tx) => (await tx.query(query)).rows)).toEqual(before);
      expect((before[0] as { at: unknown }).at).toBeInstanceOf(Date);
      expect((before[0] as { ats: unknown[] }).ats[0]).toBeInstanceOf(Date);
    } finally {
      await client.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
