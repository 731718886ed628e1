import { msg, type MessageKey, type Msg } from '../i18n/index.js';
import { addCalendarDays, addWorkingDays, localDate } from './local-time.js';
import type { ReminderSchedule, ReminderWindow } from './reminder-schedule.js';
import type { ReminderSettings } from './settings.js';

/**
 * When a reminder is due: pure functions of the state, the reader's zone and the time, so every reminder
 * rule is tested without a database or a wait. The sweep asks them and the database's claims make
 * sure each answer is acted on once.
 */

export interface PendingConsent {
  requestedAt: Date;
  remindersSent: number;
  lastRemindedAt: Date | null;
}

export type ConsentStep =
  | { kind: 'wait' }
  | { kind: 'expire' }
  | { kind: 'remind'; number: number; escalate: boolean; window: string };

/**
 * A consent still awaited: expire it once CONSENT_EXPIRE_AFTER has passed (0 never), else remind the
 * person at most once per window, CONSENT_REMIND_EVERY after the previous one; from the reminder after
 * the CONSENT_ESCALATE_AFTER-th on, the other admins hear of it too.
 */
export function consentStep(
  c: PendingConsent,
  zone: string,
  s: ReminderSettings,
  expireAfterMs: number,
  now: Date,
): ConsentStep {
  if (expireAfterMs > 0 && now.getTime() - c.requestedAt.getTime() >= expireAfterMs)
    return { kind: 'expire' };
  const window = s.schedule.windowAt(now, zone);
  if (window === null) return { kind: 'wait' };
  if (!dueAgain(c.requestedAt, c.lastRemindedAt, window, s.remindEveryMs, zone, s.schedule, now))
    return { kind: 'wait' };
  const number = c.remindersSent + 1;
  return { kind: 'remind', number, escalate: number > s.escalateAfter, window: window.key };
}

/**
 * Whether nothing went out in this window yet, and `interval` has passed since the last reminder (or
 * since `since`, before the first), whole days counted on the person's calendar. The last reminder counts from the fire that opened its window
 * rather than from when the tick happened to send it, so a daily reminder stays at the reminder time
 * instead of drifting a tick a day.
 */
function dueAgain(
  since: Date,
  last: Date | null,
  window: ReminderWindow,
  intervalMs: number,
  zone: string,
  schedule: ReminderSchedule,
  now: Date,
): boolean {
  if (last !== null && last.getTime() >= window.openedAt.getTime()) return false;
  const base = last === null ? since : (schedule.lastFireAt(last, zone) ?? last);
  return now.getTime() >= after(base, intervalMs, zone).getTime();
}

const DAY_MS = 86_400_000;

/**
 * `interval` after `base`: a whole number of days on the person's calendar, at the same wall-clock time
 * (a day is 23 or 25 hours across a DST change); any other interval in absolute time.
 */
function after(base: Date, intervalMs: number, zone: string): Date {
  return intervalMs > 0 && intervalMs % DAY_MS === 0
    ? addCalendarDays(base, intervalMs / DAY_MS, zone)
    : new Date(base.getTime() + intervalMs);
}

export interface PastReminders {
  /** How many were sent for this transfer and kind. */
  count: number;
  last: Date | null;
}

export interface Due {
  number: number;
  /**
   * The reader's calendar day, for the claim key. Neither idle reminder goes more than once a day, so a
   * day-wide key lets two instances sweeping either side of a window's start claim the same reminder.
   */
  window: string;
}

/** A request left in Pending Submission: a reminder each `submissionIdleMs` it stays untouched. */
export function submissionStep(
  idleSince: Date,
  past: PastReminders,
  zone: string,
  s: ReminderSettings,
  now: Date,
): Due | null {
  const window = s.schedule.windowAt(now, zone);
  if (window === null) return null;
  if (!dueAgain(idleSince, past.last, window, s.submissionIdleMs, zone, s.schedule, now)) return null;
  return { number: past.count + 1, window: localDate(now, zone) };
}

/**
 * Screening older than its SLA in working days: a reminder in a window each day until someone decides —
 * at most one a day on the channel's clock, however often the expression fires.
 */
export function complianceStep(
  screeningSince: Date,
  past: PastReminders,
  zone: string,
  s: ReminderSettings,
  now: Date,
): Due | null {
  if (now.getTime() < addWorkingDays(screeningSince, s.complianceSlaWorkingDays, zone).getTime()) return null;
  const window = s.schedule.windowAt(now, zone);
  if (window === null) return null;
  const today = localDate(now, zone);
  if (past.last !== null && localDate(past.last, zone) === today) return null;
  return { number: past.count + 1, window: today };
}

/**
 * "Waiting for 3 days" (2 hours, 5 minutes): the age every reminder carries, in milliseconds, told in
 * the reader's language by `{{age, duration}}` — the unit that fits, rounded down.
 */
export function ageLine(since: Date, now: Date): Msg {
  return msg('reminders:age.waiting', { age: Math.max(0, now.getTime() - since.getTime()) });
}

/**
 * Keys of the lines reminders carried before the age and the time left were told as durations: kept in
 * the catalogs, so a reminder queued in the outbox before an upgrade (Slack or Teams down at the time)
 * still reads when it goes out.
 */
export const EARLIER_REMINDER_KEYS = [
  'reminders:age.days',
  'reminders:age.hours',
  'reminders:consent.expiresIn',
] as const satisfies readonly MessageKey[];

/**
 * "Cancelled in 2 hours without an answer": the time an awaited consent has left, told like the age
 * (rounded down, so never longer than it is); null when consents never expire.
 */
export function expiryLine(requestedAt: Date, expireAfterMs: number, now: Date): Msg | null {
  if (expireAfterMs <= 0) return null;
  const left = Math.max(0, requestedAt.getTime() + expireAfterMs - now.getTime());
  return msg('reminders:consent.cancelledIn', { left });
}
