import type { Locale } from '../i18n/locale.js';
import type { Store } from './ports/store.js';

export interface AppConfig {
  /** Consent not given after this long cancels the transfer; 0 never expires. */
  consentExpireAfterMs: number;
  /** Where exports are written (the console and CLI show the path). */
  exportDir: string;
  /** The time zone of a reader neither the inventory nor the platform gives one for (TZ_DEFAULT). */
  defaultTimeZone: string;
  /** Where people get help (SUPPORT_CONTACT); unset: open a case with Cisco Licensing support. */
  supportContact?: string | undefined;
  /**
   * How long the outbox keeps a message once it was delivered or given up on (OUTBOX_KEEP), counted from
   * when it was written; 0 keeps every one.
   */
  keepDeliveredMs: number;
  /**
   * The language of what the compliance channel (Slack) and conversation (Teams) read, which several
   * officers share (COMPLIANCE_LOCALE); English when unset.
   */
  complianceLocale?: Locale | undefined;
  /** The most transactions an account's Excel file holds, the newest (`ACCOUNT_EXPORT_ROWS` when unset). */
  accountExportRows?: number | undefined;
}

/** Everything the application services need, passed in: tests give a fixed clock and their own database. */
export interface AppDeps {
  store: Store;
  now: () => Date;
  config: AppConfig;
}

export const DEFAULT_CONFIG: AppConfig = {
  consentExpireAfterMs: 30 * 24 * 3600 * 1000,
  keepDeliveredMs: 90 * 24 * 3600 * 1000,
  exportDir: './.data/exports',
  defaultTimeZone: 'UTC',
};
