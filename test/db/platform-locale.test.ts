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

    await notePlatformLocale(deps, linked, 'slack', { locale: 'ja-JP', timeZone: 'Europe/Brussels' }, at);
    // Another instance, reading the person afresh, reads the same language.
    const read = (await store.users.findUser({ identity: { platform: 'slack', externalId: slackId } }))!;
    expect(read.platformLocales.slack).toEqual({ locale: 'ja-JP', timeZone: 'Europe/Brussels', at });
    expect(readerFor(read, { on: 'slack' }, 'UTC').locale).toBe('ja');
    // Not asked again for a week.
    expect(platformLocaleDue(read, 'slack', new Date(at.getTime() + 6 * DAY))).toBe(false);
    expect(platformLocaleDue(read, 'slack', new Date(at.getTime() + PLATFORM_LOCALE_KEPT_MS))).toBe(true);

    // A process whose cache says English since before: its answer is older, the stored one stays.
    const stale = await notePlatformLocale(
      deps,
      linked,
      'slack',
      { locale: 'en-US' },
      new Date(at.getTime() - 60_000),
    );
    expect(stale.platformLocales.slack?.locale).toBe('ja-JP');
    expect(readerFor(stale, { on: 'slack' }, 'UTC').locale).toBe('ja');
    expect((await store.users.findUser({ id: bob.id }))!.platformLocales.slack?.locale).toBe('ja-JP');

    // A newer answer (the person changed their language) replaces it.
    const later = new Date(at.getTime() + 60_000);
    await notePlatformLocale(deps, read, 'slack', { locale: 'fr-FR' }, later);
    const now = (await store.users.findUser({ id: bob.id }))!;
    expect(now.platformLocales.slack).toEqual({ locale: 'fr-FR', timeZone: 'Europe/Brussels', at: later });
    // An export (no platform) reads the newest any platform said.
    expect(readerFor(now, {}, 'UTC').locale).toBe('fr');
  });

  it('keeps the time zone Slack said beside the language, by the same rule, and the inventory’s zone leads', async () => {
    const store = createStore(database.db);
    const deps = { store };
    const carol = (await store.users.findUser({ email: EMAILS.carol }))!;
    await store.users.linkIdentity(carol.id, 'slack', 'UCAROLZONE');
    const linked = (await store.users.findUser({ id: carol.id }))!;
    const at = new Date('2026-03-02T10:00:00Z');
    // Only a language stored (as before zones were): Slack is to be asked again, for the zone.
    await notePlatformLocale(deps, linked, 'slack', { locale: 'ja-JP' }, at);
    const languageOnly = (await store.users.findUser({ id: carol.id }))!;
    expect(platformLocaleDue(languageOnly, 'slack', new Date(at.getTime() + DAY))).toBe(true);

    const said = new Date(at.getTime() + DAY);
    await notePlatformLocale(deps, languageOnly, 'slack', { locale: 'ja-JP', timeZone: 'Asia/Tokyo' }, said);
    // Another instance, reading the person afresh by their Slack id, reads the same zone.
    const read = (await store.users.findUser({ identity: { platform: 'slack', externalId: 'UCAROLZONE' } }))!;
    expect(read.platformLocales.slack).toEqual({ locale: 'ja-JP', timeZone: 'Asia/Tokyo', at: said });
    expect(readerFor(read, { on: 'slack' }, 'UTC')).toEqual({ locale: 'ja', timeZone: 'Asia/Tokyo' });
    expect(platformLocaleDue(read, 'slack', new Date(said.getTime() + 6 * DAY))).toBe(false);
    expect(platformLocaleDue(read, 'slack', new Date(said.getTime() + PLATFORM_LOCALE_KEPT_MS))).toBe(true);
    // Every surface (an export, the console, Teams) reads it where the inventory gives no zone…
    expect(readerFor(read, {}, 'UTC').timeZone).toBe('Asia/Tokyo');
    expect(readerFor(read, { on: 'teams' }, 'UTC').timeZone).toBe('Asia/Tokyo');
    // …and the inventory's zone, where it gives one, leads (as its reminders are timed in it).
    expect(readerFor({ ...read, timeZone: 'Europe/Paris' }, { on: 'slack' }, 'UTC').timeZone).toBe(
      'Europe/Paris',
    );

    // A process whose cache holds an older zone: not taken.
    const stale = await notePlatformLocale(
      deps,
      linked,
      'slack',
      { locale: 'ja-JP', timeZone: 'Europe/Paris' },
      new Date(said.getTime() - 60_000),
    );
    expect(stale.platformLocales.slack?.timeZone).toBe('Asia/Tokyo');
    expect((await store.users.findUser({ id: carol.id }))!.platformLocales.slack?.timeZone).toBe(
      'Asia/Tokyo',
    );

    // A newer answer that gives no zone, or one that is none, keeps the stored zone.
    const later = new Date(said.getTime() + 60_000);
    await notePlatformLocale(deps, read, 'slack', { locale: 'fr-FR', timeZone: 'Not/AZone' }, later);
    expect((await store.users.findUser({ id: carol.id }))!.platformLocales.slack).toEqual({
      locale: 'fr-FR',
      timeZone: 'Asia/Tokyo',
      at: later,
    });
    // A newer zone (the person travelled) replaces it.
    const moved = new Date(later.getTime() + 60_000);
    const now = (await store.users.findUser({ id: carol.id }))!;
    await notePlatformLocale(deps, now, 'slack', { locale: 'fr-FR', timeZone: 'America/New_York' }, moved);
    expect((await store.users.findUser({ id: carol.id }))!.platformLocales.slack).toEqual({
      locale: 'fr-FR',
      timeZone: 'America/New_York',
      at: moved,
    });
  });
});
