import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderRepository } from '../../db/reminders-repo.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

describe.each(drivers)('claims of work by key (%s)', (driver) => {
  let database: TestDatabase;
  const now = new Date('2026-12-07T09:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.dispose());

  it('a key is claimed once; given back, it is claimed again, once; other keys are left alone', async () => {
    const claims = reminderRepository(database.db);
    expect(await claims.claim('reachable:consent:1', now, 'first-contact')).toBe(true);
    expect(await claims.claim('reachable:consent:1', now, 'first-contact')).toBe(false);
    expect(await claims.claim('reachable:consent:2', now, 'first-contact')).toBe(true);

    await claims.release('reachable:consent:1');
    expect(await claims.claim('reachable:consent:1', now, 'first-contact')).toBe(true);
    expect(await claims.claim('reachable:consent:1', now, 'first-contact')).toBe(false);
    expect(await claims.claim('reachable:consent:2', now, 'first-contact')).toBe(false);
    expect(await claims.pastClaims('reachable:consent:')).toMatchObject({ count: 2 });
  });

  it('a claim given back inside a transaction that fails stays taken', async () => {
    const claims = reminderRepository(database.db);
    expect(await claims.claim('reachable:consent:3', now, 'first-contact')).toBe(true);
    await expect(
      database.db.transaction(async (tx) => {
        await reminderRepository(tx).release('reachable:consent:3');
        throw new Error('the delivery bookkeeping failed');
      }),
    ).rejects.toThrow('bookkeeping');
    expect(await claims.claim('reachable:consent:3', now, 'first-contact')).toBe(false);
  });
});
