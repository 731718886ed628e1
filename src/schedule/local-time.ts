/**
 * Wall-clock time in a person's time zone, with nothing but Intl: what day it is for them, whether it is
 * a working day, and the instant their clock shows a given time. Reminders follow the reader's day, not
 * the server's (Monday 09:00 in Tokyo is still Sunday in UTC).
 */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday, as the person's calendar shows it. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
}

export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone || zone.trim() === '') return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** What the zone's clock shows at `instant`, read from Intl (the slow path: ~10 µs a call). */
function formattedParts(instant: number, zone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts['year'] ?? 1970;
  const month = parts['month'] ?? 1;
  const day = parts['day'] ?? 1;
  return {
    year,
    month,
    day,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

const MINUTE_MS = 60_000;
/** Offsets are cached per zone and quarter of an hour: no zone changes its offset twice in one. */
const SPAN_MS = 15 * MINUTE_MS;
const OFFSET_CACHE_LIMIT = 50_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at the minute of `t`, in ms, as Intl reports it. */
function offsetAt(t: number, zone: string): number {
  const p = formattedParts(t, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(t / MINUTE_MS) * MINUTE_MS;
}

/**
 * The zone's offset at `t`. A sweep asks for thousands of instants in a handful of zones, so the offset
 * is read once per zone and quarter of an hour — when it is the same at both ends of the quarter, it is
 * the offset throughout (a change inside would need two changes to come back); when it differs, a DST
 * change falls inside and `t` is read exactly.
 */
function offsetFor(t: number, zone: string): number {
  const span = Math.floor(t / SPAN_MS);
  const key = `${zone}|${span}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  const start = offsetAt(span * SPAN_MS, zone);
  if (start !== offsetAt((span + 1) * SPAN_MS - MINUTE_MS, zone)) return offsetAt(t, zone);
  if (offsets.size >= OFFSET_CACHE_LIMIT) offsets.clear();
  offsets.set(key, start);
  return start;
}

export function localParts(instant: Date, zone: string): LocalParts {
  const t = instant.getTime();
  if (!Number.isFinite(t)) return formattedParts(t, zone);
  const wall = new Date(Math.floor(t / MINUTE_MS) * MINUTE_MS + offsetFor(t, zone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/** `2026-11-30`: the person's calendar day, used as a reminder window. */
export function localDate(instant: Date, zone: string): string {
  const { year, month, day } = localParts(instant, zone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isWorkingDay(parts: Pick<LocalParts, 'weekday'>): boolean {
  return parts.weekday >= 1 && parts.weekday <= 5;
}

/** The instant the person's clock shows `hour:minute` on the given calendar day (DST-aware). */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  zone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let t = wall - offsetFor(wall, zone);
  // Near a DST change the first guess uses the other side's offset; one more step settles it.
  const second = wall - offsetFor(t, zone);
  if (second !== t) t = second;
  return new Date(t);
}

/**
 * `instant` plus `days` calendar days at the same wall-clock time in the zone: across a DST change that is
 * 23 or 25 hours a day, so a daily reminder at 09:00 stays at 09:00.
 */
export function addCalendarDays(instant: Date, days: number, zone: string): Date {
  const p = localParts(instant, zone);
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return zonedInstant(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    p.hour,
    p.minute,
    zone,
  );
}

/**
 * `instant` plus `days` working days at the same wall-clock time, in the zone's calendar. A start on a
 * weekend counts from the following Monday's start.
 */
export function addWorkingDays(instant: Date, days: number, zone: string): Date {
  let p = localParts(instant, zone);
  let { hour, minute } = p;
  let date = new Date(Date.UTC(p.year, p.month - 1, p.day));
  if (!isWorkingDay(p)) {
    while (!isWorkingDay({ weekday: date.getUTCDay() })) date = new Date(date.getTime() + 86_400_000);
    hour = 0;
    minute = 0;
  }
  let left = days;
  while (left > 0) {
    date = new Date(date.getTime() + 86_400_000);
    if (isWorkingDay({ weekday: date.getUTCDay() })) left -= 1;
  }
  p = { ...p, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  return zonedInstant(p.year, p.month, p.day, hour, minute, zone);
}
