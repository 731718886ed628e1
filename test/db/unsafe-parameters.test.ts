import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsafeParameterError } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { databaseSnapshot } from '../support/snapshot.js';
import { EMAILS, seedWorld } from '../support/world.js';

describe.each(drivers)('the database never sees a NUL or half a surrogate pair (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
  });
  afterAll(() => database?.dispose());

  it.each([
    ['a NUL', 'Alice\u0000Martin'],
    ['a lone high surrogate', 'Alice \uD83D'],
    ['a lone low surrogate', '\uDE00 Alice'],
  ])('refuses a write holding %s before sending it, naming the parameter only', async (_what, name) => {
    const before = await databaseSnapshot(database.db);
    const write = database.db.update(users).set({ name }).where(eq(users.email, EMAILS.alice));
    await expect(write).rejects.toThrow(UnsafeParameterError);
    await expect(write).rejects.toThrow(/^query parameter \$1 holds a NUL or a lone surrogate/);
    await expect(write).rejects.not.toThrow(/Alice/);
    expect(await databaseSnapshot(database.db)).toEqual(before);
  });

  it('refuses it inside a transaction too, which then writes nothing at all', async () => {
    const before = await databaseSnapshot(database.db);
    const change = database.db.transaction(async (tx) => {
      await tx.update(users).set({ name: 'Bob' }).where(eq(users.email, EMAILS.bob));
      await tx.select().from(users).where(eq(users.name, 'x\u0000'));
    });
    await expect(change).rejects.toThrow(UnsafeParameterError);
    expect(await databaseSnapshot(database.db)).toEqual(before);
  });

  it('lets every well-formed text through, paired surrogates included', async () => {
    const name = 'Ålice 👩🏽‍💻 アリス « Lumière » \uFFFD';
    await database.db.update(users).set({ name }).where(eq(users.email, EMAILS.carol));
    const [row] = await database.db.select().from(users).where(eq(users.email, EMAILS.carol));
    expect(row?.name).toBe(name);
  });
});
