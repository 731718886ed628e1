import { Cron, type CronOptions } from 'croner';
import { localDate, localParts } from './local-time.js';

/**
 * REMINDER_CRON read whole by croner, on each reader's own clock, as node-cron reads it: days of week,
 * lists, ranges, steps, names (whole or of three letters) and a leading seconds field all count, and a
 * restricted day of the month and day of the week must both match. The sweep ticks every minute whatever
 * the expression; the expression says when reminder windows open.
 *
 * A fire of the expression opens a window for the reader, which lasts until the next fire, the end of
 * the reader's calendar day, or a working day's nine hours, whichever comes first. So `0 9 * * 1-5` gives
 * a window from 09:00 to 18:00 on each working day (a reminder that comes due in the afternoon still goes
 * that day; one due in the evening waits for the next morning, and none goes at night or on a weekend),
 * and an expression every 15 minutes a window each quarter hour.
 */

/** 5 fields, or 6 with seconds first; no year field, which no reminder needs. */
const CRON_OPTIONS: CronOptions = {
  paused: true,
  mode: '5-or-6-parts',
  // A list or range of fixed times (`0 2,14 * * *`) still fires on the day a DST change skips one of
  // them, at the first minute after the gap, rather than losing that day's window.
  fixedTimeRule: 'no-wildcard',
  // As node-cron reads an expression whose two day fields are both restricted (`0 9 1 * 1`): a day that
  // matches both, the 1st when it is a Monday, not either one.
  domAndDow: true,
};

const FULL_NAMES =
  /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december)\b/giu;

/**
 * The expression as croner reads it: the whole names of days and months node-cron takes (`Monday`,
 * `January`) written as their first three letters, which both take.
 */
function cronerPattern(expression: string): string {
  return expression.replace(FULL_NAMES, (name) => name.slice(0, 3));
}

/** Longer than any expression one writes by hand; a longer one is a mistake, not a schedule. */
export const CRON_MAX_LENGTH = 200;

export interface ReminderWindow {
  /** The fire of the expression that opened the window. */
  openedAt: Date;
  /**
   * Unique per window and reader zone, for claim keys: the fire as the reader's clock showed it, with
   * its UTC offset (`2026-11-30T09:00+01:00`) so the repeated hour of a DST change stays two windows.
   */
  key: string;
}

/** Why `expression` cannot be a reminder schedule, or null when it can. */
export function cronExpressionProblem(expression: string): string | null {
  if (expression.length > CRON_MAX_LENGTH) return `longer than ${CRON_MAX_LENGTH} characters`;
  // Printable ASCII only: the syntax needs nothing else, and this keeps control characters out of logs.
  if (!/^[\x20-\x7e]*$/.test(expression)) return 'only printable ASCII characters are allowed';
  const fields = expression.trim().split(/\s+/).length;
  // Checked here as well: croner also takes a seventh field, a year, which no reminder needs.
  if (!expression.trim().startsWith('@') && fields !== 5 && fields !== 6)
    return `it has ${fields} field${fields === 1 ? '' : 's'}`;
  let cron: Cron;
  try {
    cron = new Cron(cronerPattern(expression), { ...CRON_OPTIONS, timezone: 'UTC' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return reason.replace(/^CronPattern: /, '').slice(0, 160);
  }
  // `0 9 31 2 *` parses but never fires: reminders would silently never go out.
  return cron.nextRun(new Date(0)) === null ? 'it never fires' : null;
}

/** Entries kept per cache before it starts afresh; a sweep asks a handful of zones the same instant. */
const CACHE_LIMIT = 10_000;
const SECOND_MS = 1000;
/** How long a window stays open at most: a working day from when it opens (09:00 → 18:00). */
export const WINDOW_MAX_MS = 9 * 60 * 60 * 1000;

/** A bounded memo: the sweep asks the same (zone, second) for every row, and Intl and croner are slow. */
class Memo<T> {
  private readonly entries = new Map<string, T>();
  get(key: string, compute: () => T): T {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = compute();
    if (this.entries.size >= CACHE_LIMIT) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}

export class ReminderSchedule {
  private readonly crons = new Memo<Cron>();
  private readonly fires = new Memo<Date | null>();
  private readonly windows = new Memo<ReminderWindow | null>();

  /** Throws when the expression is not one (the configuration check names REMINDER_CRON first). */
  constructor(readonly expression: string) {
    const problem = cronExpressionProblem(expression);
    if (problem !== null) throw new Error(`REMINDER_CRON: ${problem}`);
  }

  /** The latest fire at or before `instant` on the zone's clock; null if it never fired before it. */
  lastFireAt(instant: Date, zone: string): Date | null {
    const second = Math.floor(instant.getTime() / SECOND_MS);
    return this.fires.get(`${zone}|${second}`, () => {
      const cron = this.crons.get(
        zone,
        () => new Cron(cronerPattern(this.expression), { ...CRON_OPTIONS, timezone: zone }),
      );
      // Fires fall on whole seconds, so "before the next second" is "at or before this one".
      const [fire] = cron.previousRuns(1, new Date((second + 1) * SECOND_MS));
      return fire ?? null;
    });
  }

  /** The next `count` fires after `from` on the zone's clock (each opens a reminder window there). */
  nextFires(from: Date, zone: string, count: number): Date[] {
    return new Cron(cronerPattern(this.expression), { ...CRON_OPTIONS, timezone: zone }).nextRuns(
      count,
      from,
    );
  }

  /** The window `now` falls in for a reader in `zone`, or null outside every window. */
  windowAt(now: Date, zone: string): ReminderWindow | null {
    const second = Math.floor(now.getTime() / SECOND_MS);
    return this.windows.get(`${zone}|${second}`, () => {
      const openedAt = this.lastFireAt(now, zone);
      if (openedAt === null || localDate(openedAt, zone) !== localDate(now, zone)) return null;
      if (now.getTime() - openedAt.getTime() >= WINDOW_MAX_MS) return null;
      return { openedAt, key: windowKey(openedAt, zone) };
    });
  }
}

function windowKey(fire: Date, zone: string): string {
  const p = localParts(fire, zone);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const seconds = fire.getUTCSeconds();
  const wallMinute = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  const offset = Math.round((wallMinute - Math.floor(fire.getTime() / 60_000) * 60_000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return (
    `${localDate(fire, zone)}T${pad(p.hour)}:${pad(p.minute)}${seconds === 0 ? '' : `:${pad(seconds)}`}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}
