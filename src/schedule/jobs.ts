import type { AppDeps } from '../app/deps.js';
import { sweepExportFiles } from '../app/export-files.js';
import { sweepDrafts } from '../app/journey/drafts.js';
import type { PlatformSender } from '../app/delivery-port.js';
import { errorMessage, silentLogger, type JobLogger } from '../delivery/logger.js';
import { DEFAULT_OUTBOX_INTERVAL_MS, startOutboxPump } from '../delivery/pump.js';
import { forgetDeliveredMessages } from '../delivery/retention.js';
import { drainOutbox, emptySummary, type DeliverySummary, type WorkerOptions } from '../delivery/worker.js';
import { runReminderSweep, type SweepSummary } from './reminders.js';
import type { ReminderSettings } from './settings.js';

export interface JobsOptions {
  /** The platforms that deliver, in order of preference (e.g. [slack, teams], or [console]). */
  senders: readonly PlatformSender[];
  settings: ReminderSettings;
  logger?: JobLogger;
  /** Worker tuning (batch size, lease, attempts); the defaults suit production. */
  worker?: Omit<WorkerOptions, 'senders' | 'logger' | 'signal'>;
  /** Before each step of a run and once after the last (`transfer-bot jobs run` draws it on a terminal). */
  onStep?: (
    step:
      | 'reminders'
      | 'deliveries'
      | 'export folder'
      | 'drafts'
      | 'delivered messages'
      | 'database upkeep'
      | 'done',
    done: number,
    total: number,
  ) => void;
  /**
   * The tables with enough dead or new rows vacuumed, and the planner's statistics gathered again for
   * those changed enough (the embedded database's; a server's autovacuum does its own). Answers which
   * tables. The scheduler runs it on every tick after the sweep, `jobs run` once at its end.
   */
  upkeep?: () => Promise<UpkeepDone>;
}

/** What one round of the database's upkeep did, by table. */
export interface UpkeepDone {
  vacuumed: string[];
  analyzed: string[];
}

export interface JobsSummary {
  reminders: SweepSummary;
  deliveries: DeliverySummary;
  /** Export files removed from the export folder because they outlived their delivery. */
  expiredExports: number;
  /** Request drafts removed because nobody answered them for a day. */
  expiredDrafts: number;
  /** Messages the outbox forgot: delivered or given up on longer ago than OUTBOX_KEEP. */
  forgottenMessages: number;
}

/**
 * `transfer-bot jobs run`: every due job once — reminders, escalations, expiries, then the outbox until
 * nothing is due — and return. Safe beside a running bot on the same database. `now` pins the clock.
 */
export async function runDueJobs(deps: AppDeps, options: JobsOptions & { now?: Date }): Promise<JobsSummary> {
  const pinned = options.now;
  const at = pinned ? { ...deps, now: () => pinned } : deps;
  const logger = options.logger ?? silentLogger;
  const step = options.onStep ?? (() => undefined);
  step('reminders', 0, 6);
  const reminders = await runReminderSweep(at, options.settings, at.now(), logger);
  step('deliveries', 1, 6);
  // No platform to deliver through (a process beside the bot that serves them): the rows wait for it.
  const deliveries =
    options.senders.length > 0
      ? await drainOutbox(at, { ...options.worker, senders: options.senders, logger })
      : emptySummary();
  step('export folder', 2, 6);
  const expiredExports = (await sweepExportFiles(at.config.exportDir, at.now())).length;
  step('drafts', 3, 6);
  const expiredDrafts = await sweepDrafts(at, at.now());
  step('delivered messages', 4, 6);
  // Run now and then (from cron, say): every batch due, not one a minute as the scheduler does.
  const forgottenMessages = await forgetDeliveredMessages(at, at.now(), Infinity);
  step('database upkeep', 5, 6);
  // What this run deleted is vacuumed before it ends: the embedded database forgets its counts of
  // changes when it closes, so the next process would not know of those dead rows. The jobs are done
  // by then: a failure here is logged, and the summary still says what they did.
  try {
    if (options.upkeep) logUpkeep(logger, await options.upkeep());
  } catch (err) {
    logger.error({ err: errorMessage(err) }, 'database upkeep failed');
  }
  step('done', 6, 6);
  return { reminders, deliveries, expiredExports, expiredDrafts, forgottenMessages };
}

function logUpkeep(logger: JobLogger, { vacuumed, analyzed }: UpkeepDone) {
  if (vacuumed.length > 0) logger.info({ tables: vacuumed }, 'tables vacuumed');
  if (analyzed.length > 0) logger.info({ tables: analyzed }, 'planner statistics gathered');
}

/** What starts ticks: node-cron in production (adapters/clock/cron.ts), a hand-driven clock in tests. */
export interface Clock {
  /** Calls `fn` on every tick of a cron expression in `timezone`, never two runs at once. */
  every(expression: string, timezone: string, fn: () => Promise<void>): { stop(): void | Promise<void> };
}

export interface SchedulerOptions extends JobsOptions {
  clock: Clock;
  /**
   * When the reminder sweep runs. Every minute by default: the sweep is cheap and works out from the
   * database what is due in each reader's zone; REMINDER_CRON, read in each zone, says when reminder
   * windows open, not when the sweep looks.
   */
  sweepExpression?: string;
  outboxIntervalMs?: number;
}

export interface Scheduler {
  /** Deliver what is due now (call after a command enqueued messages). */
  kick(): void;
  /** Graceful shutdown: no new tick, the message in hand finishes, untried claims are given back. */
  stop(): Promise<void>;
}

export const EVERY_MINUTE = '* * * * *';

export function startScheduler(deps: AppDeps, options: SchedulerOptions): Scheduler {
  const logger = options.logger ?? silentLogger;
  const pump = startOutboxPump(
    deps,
    { ...options.worker, senders: options.senders, logger },
    options.outboxIntervalMs ?? DEFAULT_OUTBOX_INTERVAL_MS,
  );
  // What a click or a command wrote to the outbox goes out as soon as it is committed, not at the next
  // interval (which stays, for rows written by other instances and for retries coming due).
  const unsubscribe = deps.store.onOutboxWritten(() => pump.kick());
  let sweeping: Promise<void> | undefined;
  let stopped = false;
  const sweep = (): Promise<void> => {
    if (stopped || sweeping) return sweeping ?? Promise.resolve();
    /** One step of a tick: its failure is logged, and the next step runs all the same. */
    const step = async <T>(failure: string, work: () => Promise<T>, done: (result: T) => void) => {
      try {
        done(await work());
      } catch (err) {
        logger.error({ err: errorMessage(err) }, failure);
      }
    };
    const tick = async () => {
      // Exports nobody fetched do not pile up on disk: swept on the same tick, before the reminders, so
      // that the reminders' kick of the outbox stays the tick's last delivery.
      await step(
        'export sweep failed',
        () => sweepExportFiles(deps.config.exportDir, deps.now()),
        (removed) => {
          if (removed.length > 0) logger.info({ removed: removed.length }, 'expired export files removed');
        },
      );
      await step(
        'draft sweep failed',
        () => sweepDrafts(deps, deps.now()),
        (removed) => {
          if (removed > 0) logger.info({ removed }, 'expired request drafts removed');
        },
      );
      // A batch a tick: a large desk's years of delivered messages go in a few days, none blocking a tick.
      await step(
        'delivered messages sweep failed',
        () => forgetDeliveredMessages(deps, deps.now()),
        (forgotten) => {
          if (forgotten > 0) logger.info({ forgotten }, 'delivered messages forgotten');
        },
      );
      await step(
        'reminder sweep failed',
        () => runReminderSweep(deps, options.settings, deps.now(), logger),
        (s) => {
          if (s.consentReminders + s.expiries + s.submissionReminders + s.complianceReminders > 0) {
            logger.info({ ...s }, 'reminder sweep');
            pump.kick();
          }
        },
      );
      await step(
        'database upkeep failed',
        async () => (await options.upkeep?.()) ?? { vacuumed: [], analyzed: [] },
        (done) => logUpkeep(logger, done),
      );
    };
    sweeping = tick().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  };
  // A start catches up at once on whatever came due while no instance was running.
  void sweep();
  const task = options.clock.every(
    options.sweepExpression ?? EVERY_MINUTE,
    options.settings.tzDefault,
    sweep,
  );
  return {
    kick: () => pump.kick(),
    async stop() {
      stopped = true;
      unsubscribe();
      await task.stop();
      await sweeping;
      await pump.stop();
    },
  };
}
