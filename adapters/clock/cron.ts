import { schedule } from 'node-cron';
import type { AppDeps } from '../../src/app/deps.js';
import {
  startScheduler,
  type Clock,
  type Scheduler,
  type SchedulerOptions,
} from '../../src/schedule/jobs.js';

/** node-cron as the clock: it only says when to look; the database decides what is due. */
export const cronClock: Clock = {
  every(expression, timezone, fn) {
    const task = schedule(expression, () => fn(), { timezone, noOverlap: true });
    return { stop: () => task.destroy() };
  },
};

/** The scheduler of a long-running bot: reminder sweep every minute, outbox every second and on kick(). */
export function startCronScheduler(deps: AppDeps, options: Omit<SchedulerOptions, 'clock'>): Scheduler {
  return startScheduler(deps, { ...options, clock: cronClock });
}
