import { msg, type Msg } from '../i18n/index.js';
import { addWorkingDays, isWorkingDay, localDate, localParts, minuteOfDay, slotOn } from './local-time.js';
import type { ReminderSettings, TimeOfDay } from './settings.js';

/**
 * When a reminder is due: pure functions of the state, the reader's zone and the time, so every reminder
 * rule is tested without a database or a wait. The sweep asks them and the database's claims make
 * sure each answer is acted on once.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The reminder window `now` falls in — the reader's calendar day — if reminders may go out now: a
 * working day (Mon–Fri in the reader's zone), at or after the reminder time. Null otherwise.
 */
export function reminderWindow(now: Date, zone: string, at: TimeOfDay): string | null {
  const parts = localParts(now, zone);
  if (!isWorkingDay(parts) || minuteOfDay(parts) < at.hour * 60 + at.minute) return null;
  return localDate(now, zone);
}

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
  const window = reminderWindow(now, zone, s.at);
  if (window === null) return { kind: 'wait' };
  if (!dueAgain(c.requestedAt, c.lastRemindedAt, window, s.remindEveryMs, zone, s.at, now))
    return { kind: 'wait' };
  const number = c.remindersSent + 1;
  return { kind: 'remind', number, escalate: number > s.escalateAfter, window };
}

/**
 * Whether `interval` has passed since the last reminder (or since `since`, before the first), and not in
 * the same window. The last reminder counts from its window's start rather than from when the tick
 * happened to send it, so a daily reminder stays at the reminder time instead of drifting a tick a day.
 */
function dueAgain(
  since: Date,
  last: Date | null,
  window: string,
  intervalMs: number,
  zone: string,
  at: TimeOfDay,
  now: Date,
): boolean {
  if (last !== null && localDate(last, zone) === window) return false;
  const base = last === null ? since : new Date(Math.min(last.getTime(), slotOn(last, at, zone).getTime()));
  return now.getTime() - base.getTime() >= intervalMs;
}

export interface PastReminders {
  /** How many were sent for this transfer and kind. */
  count: number;
  last: Date | null;
}

export interface Due {
  number: number;
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
  const window = reminderWindow(now, zone, s.at);
  if (window === null) return null;
  if (!dueAgain(idleSince, past.last, window, s.submissionIdleMs, zone, s.at, now)) return null;
  return { number: past.count + 1, window };
}

/** Screening older than its SLA in working days: a reminder each working day until someone decides. */
export function complianceStep(
  screeningSince: Date,
  past: PastReminders,
  zone: string,
  s: ReminderSettings,
  now: Date,
): Due | null {
  if (now.getTime() < addWorkingDays(screeningSince, s.complianceSlaWorkingDays, zone).getTime()) return null;
  const window = reminderWindow(now, zone, s.at);
  if (window === null) return null;
  if (past.last !== null && localDate(past.last, zone) === window) return null;
  return { number: past.count + 1, window };
}

/** "Waiting for 3 days" (or hours, under a day): the age every reminder carries. */
export function ageLine(since: Date, now: Date): Msg {
  const ms = Math.max(0, now.getTime() - since.getTime());
  return ms >= DAY_MS
    ? msg('reminders:age.days', { count: Math.floor(ms / DAY_MS) })
    : msg('reminders:age.hours', { count: Math.floor(ms / HOUR_MS) });
}

/** Whole days left before an awaited consent expires, rounded up; null when consents never expire. */
export function daysUntilExpiry(requestedAt: Date, expireAfterMs: number, now: Date): number | null {
  if (expireAfterMs <= 0) return null;
  return Math.max(0, Math.ceil((requestedAt.getTime() + expireAfterMs - now.getTime()) / DAY_MS));
}
