import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { PREPARED_PARAMETER_LIMIT } from '../../db/prepared.js';
import { users } from '../../db/schema.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

/**
 * On a PostgreSQL server each query is prepared once per connection and executed by name afterwards
 * (db/prepared.ts): one round trip per query instead of two. Queries whose text grows with their
 * parameters are left unprepared, so a connection does not keep one statement per size.
 */
describe.runIf(drivers.includes('postgres'))('prepared statements on a server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.dispose());

  it('prepares a query on its connection and reads the same rows by name the second time', async () => {
    const few = [1, 2, 3];
    const many = Array.from({ length: PREPARED_PARAMETER_LIMIT + 1 }, (_, i) => i + 1);
    // One transaction: one connection, whose prepared statements pg_prepared_statements shows.
    const seen = await database.db.transaction(async (tx) => {
      const first = await tx.select({ id: users.id }).from(users).where(inArray(users.id, few));
      const second = await tx.select({ id: users.id }).from(users).where(inArray(users.id, few));
      await tx.select({ id: users.id }).from(users).where(inArray(users.id, many));
      const statements = rowsOf<{ statement: string }>(
        await tx.execute(sql`select statement from pg_prepared_statements`),
      ).map((r) => r.statement);
      return { first, second, statements };
    });
    expect(seen.second).toEqual(seen.first);
    const ofUsers = seen.statements.filter((s) => s.startsWith('select "id" from "users"'));
    expect(ofUsers).toHaveLength(1);
    expect(ofUsers[0]).toContain('($1, $2, $3)');
  });
});
