import type { Config } from '../config.js';
import { ReminderSchedule } from './reminder-schedule.js';

export interface ReminderSettings {
  /** CONSENT_REMIND_EVERY: the least time between two reminders of one consent. */
  remindEveryMs: number;
  /** CONSENT_ESCALATE_AFTER: reminders before the other admins of the Smart Account are told too. */
  escalateAfter: number;
  /** REMINDER_CRON: when reminder windows open, on each reader's clock. */
  schedule: ReminderSchedule;
  /**
   * TZ_DEFAULT: for people neither the inventory nor their chat platform gives a time zone, and for the
   * compliance channel.
   */
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

export function reminderSettings(
  config: Pick<Config, 'CONSENT_REMIND_EVERY' | 'CONSENT_ESCALATE_AFTER' | 'REMINDER_CRON' | 'TZ_DEFAULT'>,
  instanceId = `pid-${process.pid}`,
): ReminderSettings {
  return {
    remindEveryMs: config.CONSENT_REMIND_EVERY,
    escalateAfter: config.CONSENT_ESCALATE_AFTER,
    schedule: new ReminderSchedule(config.REMINDER_CRON),
    tzDefault: config.TZ_DEFAULT,
    submissionIdleMs: SUBMISSION_IDLE_MS,
    complianceSlaWorkingDays: COMPLIANCE_SLA_WORKING_DAYS,
    instanceId,
  };
}
