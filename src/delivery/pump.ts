import type { AppDeps } from '../app/deps.js';
import { Bell } from './bell.js';
import { errorMessage, silentLogger } from './logger.js';
import { drainOutbox, type WorkerOptions } from './worker.js';

export interface OutboxPump {
  /**
   * Deliver now (or `spacingMs` after the last drain began): called once something was enqueued, so people
   * do not wait for the next interval.
   */
  kick(): void;
  /** Stops after the message in hand; rows claimed but not tried are given back for another worker. */
  stop(): Promise<void>;
}

export const DEFAULT_OUTBOX_INTERVAL_MS = 1_000;

/**
 * Drains started by kicks are at least this far apart. A burst of decisions kicks once per commit: each
 * drain ends by finding nothing more and counting what waits, so one drain per commit would double what a
 * burst costs (on the embedded database, in the bot's own thread). A quarter of a second gathers the
 * commits of a burst into a few drains and keeps a lone click's message well under a second.
 */
export const KICK_SPACING_MS = 250;

/**
 * Drains the outbox every `intervalMs`, and on `kick()` (at once, or `spacingMs` after the last drain
 * began). Never two drains at a time in one process: a drain that holds rows (a call that hangs) looks
 * again every `intervalMs` and on each kick, and a kick during a drain runs one more after it. Other
 * processes may drain the same outbox meanwhile; the claims keep them apart. With `sole`, the first
 * drain hands back the rows a process that died held.
 */
export function startOutboxPump(
  deps: AppDeps,
  options: Omit<WorkerOptions, 'signal' | 'pollMs' | 'written'>,
  intervalMs: number = DEFAULT_OUTBOX_INTERVAL_MS,
  spacingMs: number = KICK_SPACING_MS,
): OutboxPump {
  const logger = options.logger ?? silentLogger;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  /** When the next drain is set to start (the interval's, or a kick's sooner one). */
  let timerAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> | undefined;
  let again = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  /** Rings on a kick while a drain runs, so it claims what was written without waiting for its lanes. */
  const written = new Bell();
  let sole = options.sole === true;

  const schedule = (delayMs: number): void => {
    const at = Date.now() + delayMs;
    if (timer !== undefined && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(run, delayMs);
  };

  const run = (): void => {
    if (controller.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    lastStart = Date.now();
    const drain = drainOutbox(deps, {
      ...options,
      sole,
      signal: controller.signal,
      pollMs: intervalMs,
      written: () => written.next(),
    });
    sole = false;
    running = drain
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ err: errorMessage(err) }, 'outbox drain failed'))
      .finally(() => {
        running = undefined;
        if (controller.signal.aborted) return;
        if (again) {
          again = false;
          kick();
        } else {
          schedule(intervalMs);
        }
      });
  };

  const kick = (): void => {
    if (controller.signal.aborted) return;
    if (running) {
      again = true;
      written.ring();
      return;
    }
    const wait = lastStart + spacingMs - Date.now();
    if (wait <= 0) run();
    else schedule(wait);
  };
  run();

  return {
    kick,
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
