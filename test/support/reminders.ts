import { reminderSettings, type ReminderSettings } from '../../src/schedule/settings.js';

/**
 * The usual policy: a consent reminder a day, escalated after the third, sent in the 09:00 window of
 * working days; `zone` is the clock of readers whose own zone is unknown (TZ_DEFAULT).
 */
export function workingDayReminders(zone: string): ReminderSettings {
  return reminderSettings(
    {
      CONSENT_REMIND_EVERY: 86_400_000,
      CONSENT_ESCALATE_AFTER: 3,
      REMINDER_CRON: '0 9 * * 1-5',
      TZ_DEFAULT: zone,
    },
    'test',
  );
}
