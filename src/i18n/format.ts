import type { Locale } from './locale.js';

// en-GB rather than en-US: day before month and a 24-hour clock read the same to every English reader.
const INTL_TAG: Readonly<Record<Locale, string>> = { en: 'en-GB', fr: 'fr-FR', ja: 'ja-JP' };

const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  // The people of one transfer sit in different zones (and platforms): a time without its zone misleads.
  timeZoneName: 'short',
};

const DATE_ONLY: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/** Shown for a value that is not a date, so a bad row never breaks a whole card. */
export const NO_DATE = '—';

// Building an Intl.DateTimeFormat costs far more than using one; lists render hundreds of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'dateTime' | 'date', locale: Locale, timeZone: string | null | undefined) {
  const zone =
    timeZone === null || timeZone === undefined || timeZone.trim() === '' ? 'UTC' : timeZone.trim();
  const cacheKey = `${kind}|${locale}|${zone}`;
  let found = formatters.get(cacheKey);
  if (found === undefined) {
    const options = kind === 'dateTime' ? DATE_TIME : DATE_ONLY;
    try {
      found = new Intl.DateTimeFormat(INTL_TAG[locale], { ...options, timeZone: zone });
    } catch {
      // An unknown IANA zone (a typo in the inventory) must not hide the date: show it in UTC instead.
      found = new Intl.DateTimeFormat(INTL_TAG[locale], { ...options, timeZone: 'UTC' });
    }
    formatters.set(cacheKey, found);
  }
  return found;
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A date and 24-hour time in the reader's language and time zone, e.g. "6 mars 2026, 00:30 UTC+1". */
export function formatDateTime(
  date: Date | string | number,
  locale: Locale,
  timeZone?: string | null,
): string {
  const d = toDate(date);
  return Number.isNaN(d.getTime()) ? NO_DATE : formatter('dateTime', locale, timeZone).format(d);
}

/** A calendar date in the reader's language, as it falls in the reader's time zone, e.g. "2026年3月6日". */
export function formatDate(date: Date | string | number, locale: Locale, timeZone?: string | null): string {
  const d = toDate(date);
  return Number.isNaN(d.getTime()) ? NO_DATE : formatter('date', locale, timeZone).format(d);
}

const listFormats = new Map<Locale, Intl.ListFormat>();

/**
 * Items joined as the reader's language joins them: "A, B and C" (en), « A, B et C » (fr), 「A、B、C」
 * (ja); `suffix` follows each item (a Japanese honorific: 「A さん、B さん」).
 */
export function formatList(items: readonly string[], locale: Locale, suffix = ''): string {
  let found = listFormats.get(locale);
  if (!found) {
    found = new Intl.ListFormat(INTL_TAG[locale], { style: 'long', type: 'conjunction' });
    listFormats.set(locale, found);
  }
  return found.format(items.map((item) => `${item}${suffix}`));
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** A quantity as the reader's language writes it: 12,345 (en), 12 345 (fr), 12,345 (ja). */
export function formatNumber(value: number, locale: Locale): string {
  let found = numberFormats.get(locale);
  if (!found) {
    found = new Intl.NumberFormat(INTL_TAG[locale]);
    numberFormats.set(locale, found);
  }
  return found.format(value);
}

/**
 * How many of a license line there are, as every surface writes it beside the product: "×12,345" (en,
 * ja), "×12 345" (fr, a narrow no-break space, so the number never breaks across lines).
 */
export function formatQuantity(value: number, locale: Locale): string {
  return `×${formatNumber(value, locale)}`;
}

/** The unit a duration is told in: the largest that fits, or "less than a minute". */
export type DurationUnit = 'days' | 'hours' | 'minutes' | 'underMinute';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A duration in the largest unit that fits — days from a day on, else hours from an hour on, else
 * minutes — rounded down, so a time left is never told longer than it is (and an age never older);
 * under a minute it is "less than a minute", never "0".
 */
export function durationParts(ms: number): { unit: DurationUnit; count: number } {
  const whole = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (whole >= DAY_MS) return { unit: 'days', count: Math.floor(whole / DAY_MS) };
  if (whole >= HOUR_MS) return { unit: 'hours', count: Math.floor(whole / HOUR_MS) };
  if (whole >= MINUTE_MS) return { unit: 'minutes', count: Math.floor(whole / MINUTE_MS) };
  return { unit: 'underMinute', count: 0 };
}
