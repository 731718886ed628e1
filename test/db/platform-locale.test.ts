import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import {
  notePlatformLocale,
  platformLocaleDue,
  PLATFORM_LOCALE_KEPT_MS,
} from '../../src/app/platform-locale.js';
import { readerFor } from '../../src/app/reader.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { EMAILS, seedWorld } from '../support/world.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(drivers)('the language a chat platform said of a person, stored with them (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
  });
  afterAll(() => database?.dispose());

  it('is read with the person by every instance, an older answer never replacing a newer one', async () => {
    const store = createStore(database.db);
    const deps = { store };
    const bob = (await store.users.findUser({ email: EMAILS.bob }))!;
    await store.users.linkIdentity(bob.id, 'slack', 'UBOBLOCALE');
    const linked = (await store.users.findUser({ email: EMAILS.bob }))!;
    const slackId = linked.identities.slack!;
    const at = new Date('2026-03-02T10:00:00Z');
    expect(platformLocaleDue(linked, 'slack', at)).toBe(true);

    await notePlatformLocale(deps, linked, 'slack', 'ja-JP', at);
    // Another instance, reading the person afresh, reads the same language.
    const read = (await store.users.findUser({ identity: { platform: 'slack', externalId: slackId } }))!;
    expect(read.platformLocales.slack).toEqual({ locale: 'ja-JP', at });
    expect(readerFor(read, { on: 'slack' }, 'UTC').locale).toBe('ja');
    // Not asked again for a week.
    expect(platformLocaleDue(read, 'slack', new Date(at.getTime() + 6 * DAY))).toBe(false);
    expect(platformLocaleDue(read, 'slack', new Date(at.getTime() + PLATFORM_LOCALE_KEPT_MS))).toBe(true);

    // A process whose cache says English since before: its answer is older, the stored one stays.
    const stale = await notePlatformLocale(deps, linked, 'slack', 'en-US', new Date(at.getTime() - 60_000));
    expect(stale.platformLocales.slack?.locale).toBe('ja-JP');
    expect(readerFor(stale, { on: 'slack' }, 'UTC').locale).toBe('ja');
    expect((await store.users.findUser({ id: bob.id }))!.platformLocales.slack?.locale).toBe('ja-JP');

    // A newer answer (the person changed their language) replaces it.
    const later = new Date(at.getTime() + 60_000);
    await notePlatformLocale(deps, read, 'slack', 'fr-FR', later);
    const now = (await store.users.findUser({ id: bob.id }))!;
    expect(now.platformLocales.slack).toEqual({ locale: 'fr-FR', at: later });
    // An export (no platform) reads the newest any platform said.
    expect(readerFor(now, {}, 'UTC').locale).toBe('fr');
  });
});
