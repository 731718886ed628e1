import { describe, expect, it } from 'vitest';
import { localParts, zonedInstant } from '../../src/schedule/local-time.js';

/** What Intl itself says the zone's clock shows: the reference the cached offsets must agree with. */
function intlParts(instant: Date, zone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    weekday: weekdays.indexOf(parts['weekday']!),
  };
}

// Each zone around its own clock changes of 2026: whole hours, half an hour (Lord Howe), odd offsets.
const cases: [string, string][] = [
  ['Europe/Paris', '2026-03-29T00:00:00Z'],
  ['Europe/Paris', '2026-10-25T00:00:00Z'],
  ['America/New_York', '2026-03-08T05:00:00Z'],
  ['America/New_York', '2026-11-01T04:00:00Z'],
  ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
  ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'],
  ['America/St_Johns', '2026-03-08T04:00:00Z'],
  ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
  ['Asia/Tokyo', '2026-12-31T14:00:00Z'],
];

describe('a person’s wall clock', () => {
  it.each(cases)('in %s around %s, matches Intl minute by minute', (zone, from) => {
    const start = new Date(from).getTime();
    for (let t = start; t < start + 6 * 3_600_000; t += 60_000 + 7_000) {
      expect(localParts(new Date(t), zone), new Date(t).toISOString()).toEqual(intlParts(new Date(t), zone));
    }
  });

  it('finds the instant a clock shows 09:00 on both sides of a clock change', () => {
    expect(zonedInstant(2026, 3, 27, 9, 0, 'Europe/Paris').toISOString()).toBe('2026-03-27T08:00:00.000Z');
    expect(zonedInstant(2026, 3, 30, 9, 0, 'Europe/Paris').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(zonedInstant(2026, 11, 2, 9, 0, 'America/New_York').toISOString()).toBe(
      '2026-11-02T14:00:00.000Z',
    );
  });
});
