import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { HEARD_KEPT_MS, lastHeardOn, noteHeard } from '../../src/app/heard.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { EMAILS, seedWorld } from '../support/world.js';

describe.each(drivers)('the platform a person last spoke to the bot on, stored with them (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
  });
  afterAll(() => database?.dispose());

  it('follows them from one platform to the other, written once a day while they stay', async () => {
    const store = createStore(database.db);
    const bob = (await store.users.findUser({ email: EMAILS.bob }))!;
    await store.users.linkIdentity(bob.id, 'teams', '29:bob-heard');
    const read = async () => (await store.users.findUser({ email: EMAILS.bob }))!;
    const at = (ms: number) => ({ store, now: () => new Date(Date.UTC(2026, 2, 2) + ms) });

    await noteHeard(at(0), await read(), 'teams');
    expect(lastHeardOn(await read())).toBe('teams');
    // Still in Teams an hour later: nothing written.
    await noteHeard(at(3600_000), await read(), 'teams');
    expect((await read()).heardAt?.teams).toEqual(at(0).now());
    // A click in Slack moves them at once.
    await noteHeard(at(7200_000), await read(), 'slack');
    expect(lastHeardOn(await read())).toBe('slack');
    // Back in Teams: moved back, whatever the day.
    await noteHeard(at(7300_000), await read(), 'teams');
    expect(lastHeardOn(await read())).toBe('teams');
    // A day on, renewed.
    await noteHeard(at(7300_000 + HEARD_KEPT_MS), await read(), 'teams');
    expect((await read()).heardAt?.teams).toEqual(at(7300_000 + HEARD_KEPT_MS).now());
    // An instance whose clock is behind does not take them back.
    expect(await store.users.noteHeard(bob.id, 'slack', at(0).now())).toBe(false);
    expect((await read()).heardAt?.slack).toEqual(at(7200_000).now());
    expect(lastHeardOn(await read())).toBe('teams');
  });
});
