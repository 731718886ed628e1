import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { TRANSITIONS, STATUSES } from '../../src/domain/status.js';
import { rowsOf } from '../../db/client.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

describe.each(drivers)('database guards (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.dispose());

  it('knows exactly the status changes the domain allows', async () => {
    const rows = rowsOf<{ from_status: string; to_status: string }>(
      await database.db.execute(sql`select from_status, to_status from status_transitions order by 1, 2`),
    );
    const fromDb = rows.map((r) => `${r.from_status}>${r.to_status}`).sort();
    const fromDomain = STATUSES.flatMap((f) => TRANSITIONS[f].map((t) => `${f}>${t}`)).sort();
    expect(fromDb).toEqual(fromDomain);
  });
});
