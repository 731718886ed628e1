import { describe, expect, it } from 'vitest';
import { readerFor, timeZoneFor } from '../../src/app/reader.js';

describe('how a person reads: one rule for every surface and every export', () => {
  it('takes the inventory’s zone first, then the platform’s, then the default', () => {
    expect(timeZoneFor('Asia/Tokyo', 'Europe/Paris', 'UTC')).toBe('Asia/Tokyo');
    expect(timeZoneFor(null, 'Europe/Paris', 'UTC')).toBe('Europe/Paris');
    expect(timeZoneFor(undefined, undefined, 'Europe/Brussels')).toBe('Europe/Brussels');
  });

  it('passes over a zone that is not one (a typo in the inventory, or from a platform)', () => {
    expect(timeZoneFor('Europe/Pariss', 'Asia/Tokyo', 'UTC')).toBe('Asia/Tokyo');
    expect(timeZoneFor('  ', 'Nowhere/Land', 'UTC')).toBe('UTC');
  });

  it('takes the platform’s language first, then the inventory’s, then English', () => {
    const marie = { locale: 'fr', timeZone: 'Europe/Paris' };
    expect(readerFor(marie, { locale: 'ja-JP', timeZone: 'Asia/Tokyo' }, 'UTC')).toEqual({
      locale: 'ja',
      timeZone: 'Europe/Paris',
    });
    expect(readerFor(marie, {}, 'UTC')).toEqual({ locale: 'fr', timeZone: 'Europe/Paris' });
    expect(readerFor({ locale: 'de', timeZone: null }, { locale: 'xx' }, 'UTC')).toEqual({
      locale: 'en',
      timeZone: 'UTC',
    });
  });

  it('reads a channel, or someone the inventory does not know, by the platform and the defaults alone', () => {
    expect(readerFor(undefined, { locale: 'fr-FR', timeZone: 'Europe/Paris' }, 'UTC')).toEqual({
      locale: 'fr',
      timeZone: 'Europe/Paris',
    });
    expect(readerFor(undefined, {}, 'Asia/Tokyo')).toEqual({ locale: 'en', timeZone: 'Asia/Tokyo' });
  });
});
