import type { Config } from '../config.js';

/** A wall-clock time of day. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

export interface ReminderSettings {
  /** CONSENT_REMIND_EVERY: the least time between two reminders of one consent. */
  remindEveryMs: number;
  /** CONSENT_ESCALATE_AFTER: reminders before the other admins of the Smart Account are told too. */
  escalateAfter: number;
  /** From REMINDER_CRON: reminders go out on working days from this time, in the reader's time zone. */
  at: TimeOfDay;
  /** TZ_DEFAULT: for people the inventory gives no time zone, and for the compliance channel. */
  tzDefault: string;
  /** SPEC §6: a request left in Pending Submission this long reminds its requester. */
  submissionIdleMs: number;
  /** SPEC §6: the compliance screening SLA, in working days. */
  complianceSlaWorkingDays: number;
  /** Recorded with each claim, so an operator can tell which instance sent a reminder. */
  instanceId: string;
}

export const SUBMISSION_IDLE_MS = 3 * 24 * 3_600_000;
export const COMPLIANCE_SLA_WORKING_DAYS = 2;

/**
 * The time of day a cron expression first fires: `0 9 * * 1-5` → 09:00. The sweep itself ticks every
 * minute and lets the database decide what is due; the expression only says from when on a working day
 * a reminder may go out, in each reader's own zone. `*` fields mean from midnight.
 */
export function reminderTimeOfDay(expression: string): TimeOfDay {
  const fields = expression.trim().split(/\s+/);
  const [minuteField, hourField] = fields.length >= 6 ? [fields[1], fields[2]] : [fields[0], fields[1]];
  return { hour: firstValue(hourField, 23), minute: firstValue(minuteField, 59) };
}

function firstValue(field: string | undefined, max: number): number {
  if (field === undefined) return 0;
  const starts = field.split(',').map((part) => {
    const head = part.split('/')[0] ?? '*';
    if (head === '*' || head === '?') return 0;
    const n = Number(head.split('-')[0]);
    return Number.isInteger(n) && n >= 0 && n <= max ? n : 0;
  });
  return Math.min(...starts);
}

export function reminderSettings(
  config: Pick<Config, 'CONSENT_REMIND_EVERY' | 'CONSENT_ESCALATE_AFTER' | 'REMINDER_CRON' | 'TZ_DEFAULT'>,
  instanceId = `pid-${process.pid}`,
): ReminderSettings {
  return {
    remindEveryMs: config.CONSENT_REMIND_EVERY,
    escalateAfter: config.CONSENT_ESCALATE_AFTER,
    at: reminderTimeOfDay(config.REMINDER_CRON),
    tzDefault: config.TZ_DEFAULT,
    submissionIdleMs: SUBMISSION_IDLE_MS,
    complianceSlaWorkingDays: COMPLIANCE_SLA_WORKING_DAYS,
    instanceId,
  };
}
