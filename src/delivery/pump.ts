import type { AppDeps } from '../app/deps.js';
import { silentLogger } from './logger.js';
import { drainOutbox, type WorkerOptions } from './worker.js';

export interface OutboxPump {
  /** Deliver now: called after a command enqueued something, so people do not wait for the next interval. */
  kick(): void;
  /** Stops after the message in hand; rows claimed but not tried are given back for another worker. */
  stop(): Promise<void>;
}

export const DEFAULT_OUTBOX_INTERVAL_MS = 1_000;

/**
 * Drains the outbox every `intervalMs`, and at once on `kick()`. Never two drains at a time in one
 * process: a kick during a drain runs one more right after it. Other processes may drain the same
 * outbox meanwhile; the claims keep them apart.
 */
export function startOutboxPump(
  deps: AppDeps,
  options: Omit<WorkerOptions, 'signal'>,
  intervalMs: number = DEFAULT_OUTBOX_INTERVAL_MS,
): OutboxPump {
  const logger = options.logger ?? silentLogger;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = (): void => {
    if (controller.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = drainOutbox(deps, { ...options, signal: controller.signal })
      .then(() => undefined)
      .catch((err: unknown) =>
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'outbox drain failed'),
      )
      .finally(() => {
        running = undefined;
        if (controller.signal.aborted) return;
        if (again) {
          again = false;
          run();
        } else {
          timer = setTimeout(run, intervalMs);
        }
      });
  };
  run();

  return {
    kick: run,
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
