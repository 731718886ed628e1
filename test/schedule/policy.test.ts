import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/delivery/backoff.js';
import {
  addCalendarDays,
  addWorkingDays,
  localDate,
  localParts,
  zonedInstant,
} from '../../src/schedule/local-time.js';
import { reminderSettings } from '../../src/schedule/settings.js';
import { tr } from '../../src/i18n/index.js';
import {
  ageLine,
  complianceStep,
  consentStep,
  expiryLine,
  submissionStep,
  type Due,
} from '../../src/schedule/policy.js';
import { workingDayReminders } from '../support/reminders.js';

const H = 3_600_000;
const D = 24 * H;

const settings = workingDayReminders('UTC');

describe('local time', () => {
  it('finds the instant a wall clock shows a time, in winter and summer', () => {
    expect(zonedInstant(2026, 11, 30, 9, 0, 'Europe/Paris').toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(zonedInstant(2026, 6, 30, 9, 0, 'Europe/Paris').toISOString()).toBe('2026-06-30T07:00:00.000Z');
    // The Monday after the spring change (29 March 2026).
    expect(zonedInstant(2026, 3, 30, 9, 0, 'Europe/Paris').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(zonedInstant(2026, 11, 30, 9, 0, 'Asia/Tokyo').toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('reads the weekday on the reader’s calendar, not the server’s', () => {
    // Sunday 23:30 UTC is already Monday morning in Tokyo.
    const instant = new Date('2026-11-29T23:30:00Z');
    expect(localParts(instant, 'UTC').weekday).toBe(0);
    expect(localParts(instant, 'Asia/Tokyo')).toMatchObject({ weekday: 1, hour: 8, minute: 30 });
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-11-30');
  });

  it('adds working days, skipping the weekend', () => {
    const fridayAfternoon = zonedInstant(2026, 11, 27, 16, 0, 'Europe/Paris');
    expect(addWorkingDays(fridayAfternoon, 2, 'Europe/Paris').toISOString()).toBe(
      zonedInstant(2026, 12, 1, 16, 0, 'Europe/Paris').toISOString(),
    );
    const saturday = zonedInstant(2026, 11, 28, 11, 0, 'Europe/Paris');
    expect(addWorkingDays(saturday, 2, 'Europe/Paris').toISOString()).toBe(
      zonedInstant(2026, 12, 2, 0, 0, 'Europe/Paris').toISOString(),
    );
  });
});

describe('when a consent reminder is due', () => {
  const paris = 'Europe/Paris';
  const at = (y: number, m: number, d: number, h: number, min = 0) => zonedInstant(y, m, d, h, min, paris);
  // Friday 27 November 2026, 14:00 in Paris.
  const requestedAt = at(2026, 11, 27, 14);
  const fresh = { requestedAt, remindersSent: 0, lastRemindedAt: null };

  it('waits for the interval, then for a working day at the reminder time', () => {
    expect(consentStep(fresh, paris, settings, 30 * D, at(2026, 11, 28, 14))).toEqual({ kind: 'wait' });
    expect(consentStep(fresh, paris, settings, 30 * D, at(2026, 11, 30, 8, 59))).toEqual({ kind: 'wait' });
    expect(consentStep(fresh, paris, settings, 30 * D, at(2026, 11, 30, 9))).toEqual({
      kind: 'remind',
      number: 1,
      escalate: false,
      window: '2026-11-30T09:00+01:00',
    });
  });

  it('never reminds in the evening: a consent asked late in the day is reminded the next working morning but one', () => {
    // Monday 22:30 in Paris: due Tuesday 22:30, after the day's window (09:00–18:00) has closed.
    const late = { requestedAt: at(2026, 11, 30, 22, 30), remindersSent: 0, lastRemindedAt: null };
    expect(consentStep(late, paris, settings, 30 * D, at(2026, 12, 1, 22, 30))).toEqual({ kind: 'wait' });
    expect(consentStep(late, paris, settings, 30 * D, at(2026, 12, 1, 23, 59))).toEqual({ kind: 'wait' });
    expect(consentStep(late, paris, settings, 30 * D, at(2026, 12, 2, 9))).toMatchObject({
      kind: 'remind',
      number: 1,
      window: '2026-12-02T09:00+01:00',
    });
    // One due in the afternoon still goes that afternoon.
    const morning = { requestedAt: at(2026, 11, 30, 15), remindersSent: 0, lastRemindedAt: null };
    expect(consentStep(morning, paris, settings, 30 * D, at(2026, 12, 1, 15))).toMatchObject({
      kind: 'remind',
      number: 1,
    });
  });

  it('sends one reminder per window and keeps to the reminder time rather than drifting', () => {
    const reminded = { requestedAt, remindersSent: 1, lastRemindedAt: at(2026, 11, 30, 9, 1) };
    expect(consentStep(reminded, paris, settings, 30 * D, at(2026, 11, 30, 17))).toEqual({ kind: 'wait' });
    // Less than 24 h after the send itself, but a full day after Monday's reminder time.
    expect(consentStep(reminded, paris, settings, 30 * D, at(2026, 12, 1, 9))).toMatchObject({
      kind: 'remind',
      number: 2,
    });
  });

  it('escalates from the reminder after CONSENT_ESCALATE_AFTER', () => {
    const third = { requestedAt, remindersSent: 3, lastRemindedAt: at(2026, 12, 2, 9) };
    expect(consentStep(third, paris, settings, 30 * D, at(2026, 12, 3, 9))).toMatchObject({
      kind: 'remind',
      number: 4,
      escalate: true,
    });
    const second = { requestedAt, remindersSent: 2, lastRemindedAt: at(2026, 12, 1, 9) };
    expect(consentStep(second, paris, settings, 30 * D, at(2026, 12, 2, 9))).toMatchObject({
      number: 3,
      escalate: false,
    });
  });

  it('expires after CONSENT_EXPIRE_AFTER whatever the day, and never with 0', () => {
    const sunday = at(2026, 12, 6, 14);
    expect(consentStep(fresh, paris, settings, 9 * D, sunday)).toEqual({ kind: 'expire' });
    expect(consentStep(fresh, paris, settings, 0, sunday)).toEqual({ kind: 'wait' });
  });
});

describe('stage reminders', () => {
  const utc = (iso: string) => new Date(iso);

  /**
   * Asks `step` (in UTC, the default settings) at each instant, with the reminders sent before it: no
   * reminder is due (null), or the one numbered in its window.
   */
  function expectSteps(
    step: typeof submissionStep,
    since: string,
    asked: [sent: { count: number; last: string | null }, at: string, due: Due | null][],
  ) {
    for (const [sent, at, due] of asked) {
      const past = { count: sent.count, last: sent.last === null ? null : utc(sent.last) };
      expect(step(utc(since), past, 'UTC', settings, utc(at)), at).toEqual(due);
    }
  }
  const none = { count: 0, last: null };

  it('reminds a pending submission after 3 untouched days, on a working day', () => {
    const once = { count: 1, last: '2026-11-30T09:00:00Z' };
    // Since a Thursday.
    expectSteps(submissionStep, '2026-11-26T10:00:00Z', [
      [none, '2026-11-29T10:00:00Z', null], // Sunday
      [none, '2026-11-30T09:00:00Z', { number: 1, window: '2026-11-30' }],
      [once, '2026-12-02T09:00:00Z', null],
      [once, '2026-12-03T09:00:00Z', { number: 2, window: '2026-12-03' }],
    ]);
  });

  it('reminds compliance once the screening is older than 2 working days, then each working day', () => {
    const once = { count: 1, last: '2026-12-01T15:00:00Z' };
    // Since a Friday.
    expectSteps(complianceStep, '2026-11-27T15:00:00Z', [
      [none, '2026-11-30T15:00:00Z', null],
      [none, '2026-12-01T14:59:00Z', null],
      [none, '2026-12-01T15:00:00Z', { number: 1, window: '2026-12-01' }],
      [once, '2026-12-01T18:00:00Z', null],
      [once, '2026-12-02T09:00:00Z', { number: 2, window: '2026-12-02' }],
    ]);
  });

  it('says how old the request is, rounded down in the unit that fits', () => {
    const age = (since: string, now: string) => tr('en', ageLine(utc(since), utc(now)));
    expect(age('2026-11-27T14:00:00Z', '2026-11-30T09:00:00Z')).toBe('Waiting for 2 days.');
    expect(age('2026-11-30T01:00:00Z', '2026-11-30T09:30:00Z')).toBe('Waiting for 8 hours.');
    expect(age('2026-11-30T09:00:00Z', '2026-11-30T09:30:59Z')).toBe('Waiting for 30 minutes.');
    expect(age('2026-11-30T09:00:00Z', '2026-11-30T09:00:30Z')).toBe('Waiting for less than a minute.');
  });

  it('says the time a consent has left, never longer than it is, and nothing when consents never expire', () => {
    const requested = utc('2026-11-30T09:00:00Z');
    const left = (now: string) => tr('en', expiryLine(requested, 4 * 60_000, utc(now))!);
    expect(left('2026-11-30T09:02:00Z')).toBe(
      'Without an answer, the transaction will be cancelled in 2 minutes.',
    );
    expect(left('2026-11-30T09:02:01Z')).toBe(
      'Without an answer, the transaction will be cancelled in 1 minute.',
    );
    expect(tr('en', expiryLine(requested, 30 * D, utc('2026-11-30T10:00:00Z'))!)).toBe(
      'Without an answer, the transaction will be cancelled in 29 days.',
    );
    expect(expiryLine(requested, 0, utc('2026-11-30T10:00:00Z'))).toBeNull();
  });

  it('has reminder windows only on working days, from the reminder time for a working day of nine hours', () => {
    const windowAt = (iso: string) => settings.schedule.windowAt(utc(iso), 'UTC')?.key ?? null;
    expect(windowAt('2026-11-28T12:00:00Z')).toBeNull(); // Saturday
    expect(windowAt('2026-11-30T08:59:00Z')).toBeNull();
    expect(windowAt('2026-11-30T09:00:00Z')).toBe('2026-11-30T09:00+00:00');
    expect(windowAt('2026-11-30T17:59:59Z')).toBe('2026-11-30T09:00+00:00');
    expect(windowAt('2026-11-30T18:00:00Z')).toBeNull();
    expect(windowAt('2026-11-30T23:59:59Z')).toBeNull();
    expect(windowAt('2026-12-01T00:00:00Z')).toBeNull();
  });
});

describe('retry delays', () => {
  it('doubles each attempt with jitter, caps, and never comes back before Retry-After', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, () => 1)).toBe(2_000);
    expect(retryDelayMs(4, () => 0)).toBe(8_000);
    expect(retryDelayMs(30, () => 1)).toBe(15 * 60_000);
    expect(retryDelayMs(1, () => 0.5, 45_000)).toBe(45_000);
  });
});

describe('a daily reminder across the DST changes', () => {
  const daily = reminderSettings(
    { CONSENT_REMIND_EVERY: D, CONSENT_ESCALATE_AFTER: 3, REMINDER_CRON: '0 9 * * *', TZ_DEFAULT: 'UTC' },
    'test',
  );
  /** The consent reminded once, on the day before, at 09:05 on the person's clock. */
  const remindedTheDayBefore = (zone: string, y: number, m: number, d: number) => ({
    requestedAt: zonedInstant(y, m, d - 1, 16, 0, zone),
    remindersSent: 1,
    lastRemindedAt: zonedInstant(y, m, d, 9, 5, zone),
  });

  it.each([
    ['Europe/Paris', 'spring (a 23-hour day)', 2027, 3, 27],
    ['Europe/Paris', 'autumn (a 25-hour day)', 2026, 10, 24],
    ['Asia/Tokyo', 'a zone without DST', 2027, 3, 27],
  ] as const)('goes at 09:00 the next day in %s, %s', (zone, _change, y, m, d) => {
    const consent = remindedTheDayBefore(zone, y, m, d);
    const step = (h: number, min: number) =>
      consentStep(consent, zone, daily, 0, zonedInstant(y, m, d + 1, h, min, zone));
    expect(step(8, 59)).toEqual({ kind: 'wait' });
    expect(step(9, 0)).toMatchObject({ kind: 'remind', number: 2 });
  });

  it('adds whole days on the person’s calendar, an hour short or long across a change', () => {
    const paris = 'Europe/Paris';
    const spring = addCalendarDays(zonedInstant(2027, 3, 27, 9, 0, paris), 1, paris);
    expect(spring.toISOString()).toBe('2027-03-28T07:00:00.000Z');
    const autumn = addCalendarDays(zonedInstant(2026, 10, 24, 9, 0, paris), 1, paris);
    expect(autumn.toISOString()).toBe('2026-10-25T08:00:00.000Z');
    const tokyo = addCalendarDays(zonedInstant(2027, 3, 27, 9, 0, 'Asia/Tokyo'), 2, 'Asia/Tokyo');
    expect(tokyo.toISOString()).toBe('2027-03-29T00:00:00.000Z');
  });
});
