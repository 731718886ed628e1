import { describe, expect, it } from 'vitest';
import { wallClock } from '../../adapters/cli/doctor.js';
import { loadConfig } from '../../src/config.js';
import { zonedInstant } from '../../src/schedule/local-time.js';
import { complianceStep, consentStep, type PendingConsent } from '../../src/schedule/policy.js';
import { cronExpressionProblem, ReminderSchedule } from '../../src/schedule/reminder-schedule.js';
import { reminderSettings, type ReminderSettings } from '../../src/schedule/settings.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

function settingsFor(expression: string, remindEveryMs: number): ReminderSettings {
  return reminderSettings(
    {
      CONSENT_REMIND_EVERY: remindEveryMs,
      CONSENT_ESCALATE_AFTER: 100,
      REMINDER_CRON: expression,
      TZ_DEFAULT: 'UTC',
    },
    'test',
  );
}

/**
 * One awaited consent, swept every `tickMs` from its request until `until`, as the scheduler does:
 * when each reminder went out, on the reader's clock.
 */
function walkConsent(
  s: ReminderSettings,
  zone: string,
  requestedAt: Date,
  until: Date,
  tickMs: number,
): string[] {
  let consent: PendingConsent = { requestedAt, remindersSent: 0, lastRemindedAt: null };
  const sent: string[] = [];
  for (let t = requestedAt.getTime() + tickMs; t <= until.getTime(); t += tickMs) {
    const now = new Date(t);
    const step = consentStep(consent, zone, s, 0, now);
    if (step.kind !== 'remind') continue;
    sent.push(wallClock(now, zone));
    consent = { ...consent, remindersSent: step.number, lastRemindedAt: now };
  }
  return sent;
}

const ZONES = ['Europe/Paris', 'Asia/Tokyo', 'America/New_York'] as const;

type LocalTime = [year: number, month: number, day: number, hour: number, minute: number];

describe('REMINDER_CRON is read whole, on each reader’s clock', () => {
  it.each(ZONES)(
    'Wednesday only (0 9 * * 3): a daily interval still reminds on Wednesdays at 09:00 in %s',
    (zone) => {
      const s = settingsFor('0 9 * * 3', D);
      // Monday 30 November 2026, 10:00 on the reader's clock.
      const requestedAt = zonedInstant(2026, 11, 30, 10, 0, zone);
      const sent = walkConsent(s, zone, requestedAt, new Date(requestedAt.getTime() + 21 * D), 15 * MIN);
      expect(sent).toEqual(['Wed 2026-12-02 09:00', 'Wed 2026-12-09 09:00', 'Wed 2026-12-16 09:00']);
    },
  );

  it('Wednesday only: no window on any other day, whatever the server’s date says', () => {
    const s = settingsFor('0 9 * * 3', D);
    // Wednesday 09:30 in Tokyo is still Tuesday in UTC and in New York.
    const instant = new Date('2026-12-02T00:30:00Z');
    expect(s.schedule.windowAt(instant, 'Asia/Tokyo')?.key).toBe('2026-12-02T09:00+09:00');
    expect(s.schedule.windowAt(instant, 'UTC')).toBeNull();
    expect(s.schedule.windowAt(instant, 'America/New_York')).toBeNull();
    expect(s.schedule.windowAt(new Date('2026-12-03T10:00:00Z'), 'Europe/Paris')).toBeNull(); // Thursday
  });

  // Each walk: one consent requested at `from` and swept every `tick` until `until`, on the zone's clock.
  it.each([
    {
      name: 'every 15 minutes (*/15 * * * *): a 15-minute interval reminds on each quarter hour, day and night',
      zone: 'America/New_York',
      expression: '*/15 * * * *',
      every: 15 * MIN,
      // Saturday 5 December 2026, 10:05: the first quarter after the interval, then every quarter on the mark.
      from: [2026, 12, 5, 10, 5],
      until: [2026, 12, 5, 11, 1],
      tick: 5 * MIN,
      sent: ['Sat 2026-12-05 10:20', 'Sat 2026-12-05 10:30', 'Sat 2026-12-05 10:45', 'Sat 2026-12-05 11:00'],
    },
    {
      name: 'every 15 minutes with an hourly interval: hourly, back on the quarter rather than drifting',
      zone: 'Europe/Paris',
      expression: '*/15 * * * *',
      every: H,
      from: [2026, 12, 7, 23, 5],
      until: [2026, 12, 8, 2, 1],
      tick: 5 * MIN,
      sent: ['Tue 2026-12-08 00:05', 'Tue 2026-12-08 01:00', 'Tue 2026-12-08 02:00'],
    },
    {
      name: 'keeps 09:00 on the reader’s clock across a DST change (New York, 8 March 2026)',
      zone: 'America/New_York',
      expression: '0 9 * * 1-5',
      every: D,
      // Wednesday, on EST.
      from: [2026, 3, 4, 8, 0],
      until: [2026, 3, 10, 12, 0],
      tick: 15 * MIN,
      sent: ['Thu 2026-03-05 09:00', 'Fri 2026-03-06 09:00', 'Mon 2026-03-09 09:00', 'Tue 2026-03-10 09:00'],
    },
  ] satisfies {
    name: string;
    zone: string;
    expression: string;
    every: number;
    from: LocalTime;
    until: LocalTime;
    tick: number;
    sent: string[];
  }[])('$name', ({ zone, expression, every, from, until, tick, sent }) => {
    const s = settingsFor(expression, every);
    expect(walkConsent(s, zone, zonedInstant(...from, zone), zonedInstant(...until, zone), tick)).toEqual(
      sent,
    );
  });

  it('a list of hours (0 9,14 * * 1-5): two windows each working day, none at the weekend', () => {
    const zone = 'Asia/Tokyo';
    const s = settingsFor('0 9,14 * * 1-5', 4 * H);
    // Thursday 3 December 2026, 08:00 in Tokyo.
    const requestedAt = zonedInstant(2026, 12, 3, 8, 0, zone);
    const sent = walkConsent(s, zone, requestedAt, zonedInstant(2026, 12, 7, 23, 0, zone), 15 * MIN);
    expect(sent).toEqual([
      // Due at 12:00, inside the window that opened at 09:00.
      'Thu 2026-12-03 12:00',
      'Thu 2026-12-03 14:00',
      'Fri 2026-12-04 09:00',
      'Fri 2026-12-04 14:00',
      'Mon 2026-12-07 09:00',
      'Mon 2026-12-07 14:00',
    ]);
    const morning = s.schedule.windowAt(zonedInstant(2026, 12, 7, 13, 59, zone), zone)?.key;
    const afternoon = s.schedule.windowAt(zonedInstant(2026, 12, 7, 14, 0, zone), zone)?.key;
    expect([morning, afternoon]).toEqual(['2026-12-07T09:00+09:00', '2026-12-07T14:00+09:00']);
  });

  it('a seconds field (30 0 9 * * 1-5): the window opens at 09:00:30, and the next minute’s tick reminds', () => {
    const zone = 'Europe/Paris';
    const s = settingsFor('30 0 9 * * 1-5', D);
    const nine = zonedInstant(2026, 12, 7, 9, 0, zone); // Monday
    expect(s.schedule.windowAt(nine, zone)).toBeNull();
    expect(s.schedule.windowAt(new Date(nine.getTime() + 29 * S), zone)).toBeNull();
    expect(s.schedule.windowAt(new Date(nine.getTime() + 30 * S), zone)?.key).toBe(
      '2026-12-07T09:00:30+01:00',
    );
    const requestedAt = zonedInstant(2026, 12, 3, 8, 0, zone); // the Thursday before
    expect(walkConsent(s, zone, requestedAt, new Date(nine.getTime() + 5 * MIN), MIN)).toEqual([
      'Fri 2026-12-04 09:01',
      'Mon 2026-12-07 09:01',
    ]);
  });

  it('the last window before an instant is at 09:00 on the reader’s clock on both sides of a DST change', () => {
    const s = settingsFor('0 9 * * 1-5', D);
    const zone = 'America/New_York';
    expect(s.schedule.lastFireAt(new Date('2026-03-09T13:30:00Z'), zone)?.toISOString()).toBe(
      '2026-03-09T13:00:00.000Z',
    );
    expect(s.schedule.lastFireAt(new Date('2026-03-06T14:30:00Z'), zone)?.toISOString()).toBe(
      '2026-03-06T14:00:00.000Z',
    );
  });

  it('keeps the repeated hour of an autumn change as two windows, and a time the spring change skips still opens one', () => {
    const zone = 'Europe/Paris';
    const quarter = settingsFor('*/15 * * * *', 15 * MIN).schedule;
    // 25 October 2026: 02:00–02:59 happens twice, first at +02:00, then at +01:00.
    expect(quarter.windowAt(new Date('2026-10-25T00:20:00Z'), zone)?.key).toBe('2026-10-25T02:15+02:00');
    expect(quarter.windowAt(new Date('2026-10-25T01:20:00Z'), zone)?.key).toBe('2026-10-25T02:15+01:00');
    // 29 March 2026: 02:30 does not exist; the window opens when the clock jumps to 03:00.
    const early = settingsFor('30 2,14 * * *', D).schedule;
    const window = early.windowAt(new Date('2026-03-29T01:10:00Z'), zone);
    expect(window?.key).toBe('2026-03-29T03:00+02:00');
    expect(window?.openedAt.toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('with both day fields restricted (0 9 1 * 1), a day matching both opens a window, as node-cron reads it', () => {
    const schedule = new ReminderSchedule('0 9 1 * 1');
    expect(schedule.windowAt(new Date('2026-12-01T10:00:00Z'), 'UTC')).toBeNull(); // Tuesday the 1st
    expect(schedule.windowAt(new Date('2026-12-07T10:00:00Z'), 'UTC')).toBeNull(); // Monday the 7th
    // Monday 1 February 2027.
    expect(schedule.windowAt(new Date('2027-02-01T10:00:00Z'), 'UTC')?.key).toBe('2027-02-01T09:00+00:00');
    expect(
      schedule.nextFires(new Date('2026-12-07T00:00:00Z'), 'UTC', 2).map((d) => d.toISOString()),
    ).toEqual(['2027-02-01T09:00:00.000Z', '2027-03-01T09:00:00.000Z']);
  });

  it('takes the whole names of days and months node-cron takes (0 9 * * Monday, 0 9 * January *)', () => {
    expect(cronExpressionProblem('0 9 * * Monday')).toBeNull();
    expect(cronExpressionProblem('0 9 * January Monday-Friday')).toBeNull();
    const mondays = new ReminderSchedule('0 9 * * Monday');
    expect(mondays.windowAt(new Date('2026-12-07T10:00:00Z'), 'UTC')?.key).toBe('2026-12-07T09:00+00:00');
    expect(mondays.windowAt(new Date('2026-12-08T10:00:00Z'), 'UTC')).toBeNull();
    expect(cronExpressionProblem('0 9 * * Mondays')).not.toBeNull();
  });

  it('counts a fire at the very instant asked as already fired', () => {
    const schedule = new ReminderSchedule('0 9 * * 1-5');
    const nine = new Date('2026-11-30T09:00:00.000Z');
    expect(schedule.lastFireAt(nine, 'UTC')?.toISOString()).toBe(nine.toISOString());
    expect(schedule.lastFireAt(new Date(nine.getTime() - 1), 'UTC')?.toISOString()).toBe(
      '2026-11-27T09:00:00.000Z',
    );
  });

  it('reminds compliance at most once a day, however often the expression fires', () => {
    const s = settingsFor('*/15 * * * *', 15 * MIN);
    const since = new Date('2026-11-27T15:00:00Z'); // Friday: due from Tuesday 15:00
    let past = { count: 0, last: null as Date | null };
    const sent: string[] = [];
    for (let t = Date.parse('2026-12-01T00:00:00Z'); t < Date.parse('2026-12-03T00:00:00Z'); t += 5 * MIN) {
      const due = complianceStep(since, past, 'UTC', s, new Date(t));
      if (!due) continue;
      sent.push(`${wallClock(new Date(t), 'UTC')} ${due.window}`);
      past = { count: due.number, last: new Date(t) };
    }
    expect(sent).toEqual(['Tue 2026-12-01 15:00 2026-12-01', 'Wed 2026-12-02 00:00 2026-12-02']);
  });
});

describe('REMINDER_CRON is checked at start by the library that evaluates it', () => {
  it.each([
    '0 9 * * 1-5',
    '0 9 * * 3',
    '*/15 * * * *',
    '0 9,14 * * 1-5',
    '30 0 9 * * 1-5',
    '0 9 * * MON-FRI',
    '0 9 * * 1#1',
  ])('accepts %s', (expression) => {
    expect(cronExpressionProblem(expression)).toBeNull();
    expect(loadConfig({ REMINDER_CRON: expression })).toMatchObject({ ok: true });
  });

  it.each([
    ['0 25 * * *', 'hour'],
    ['0 9 * * 8', 'dayOfWeek'],
    ['0 9 * *', 'it has 4 fields'],
    ['0 0 9 * * 1-5 2027', 'it has 7 fields'],
    ['daily', '(it has 1 field)'],
    ['0 9 31 2 *', 'never fires'],
    ['*/0 * * * *', 'stepping'],
    [`0 9 * * ${'1,'.repeat(150)}1`, 'longer than 200'],
    ['0 9 * * 1\u00a05', 'printable ASCII'],
  ])('refuses %s, saying why and naming the variable', (expression, why) => {
    expect(`(${cronExpressionProblem(expression)})`).toContain(why);
    const result = loadConfig({ REMINDER_CRON: expression });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^REMINDER_CRON: expected a cron expression/);
    expect(errors[0]).toContain(why);
    expect(() => new ReminderSchedule(expression)).toThrow(/^REMINDER_CRON: /);
  });
});
