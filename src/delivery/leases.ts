import type { AppDeps } from '../app/deps.js';
import type { Claimed } from '../app/ports/outbox.js';
import { errorMessage, type JobLogger } from './logger.js';

/** Alone on the database: the claims a process that died left behind are due again now. */
export async function handBackDeadClaims(deps: AppDeps, logger: JobLogger): Promise<void> {
  try {
    const count = await deps.store.outbox.handBackClaims(deps.now());
    if (count > 0) logger.info({ count }, 'outbox: messages a stopped process held are due again');
  } catch (err) {
    // Their leases run out all the same.
    logger.error(
      { err: errorMessage(err) },
      'outbox: could not hand back the messages a stopped process held',
    );
  }
}

/**
 * Renews the leases of the rows held, every third of the lease, in one statement: rows being sent (a
 * call that takes its 15 s, a lane waiting behind it) stay hidden from other workers, and a worker that
 * dies lets them go within one lease. A row held longer than `holdMs` is no longer renewed.
 */
export function keepLeases(
  deps: AppDeps,
  { leaseMs, holdMs }: { leaseMs: number; holdMs: number },
  held: ReadonlyMap<number, Claimed>,
  logger: JobLogger,
): { stop(): void } {
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing || held.size === 0) return;
      const now = deps.now().getTime();
      const rows = [...held.values()].filter((claimed) => {
        const keep = now - (claimed.lease.getTime() - leaseMs) < holdMs;
        if (!keep) logger.warn({ outboxId: claimed.row.id }, 'outbox row held too long; its lease is let go');
        return keep;
      });
      renewing = true;
      deps.store.outbox
        .renewLeases(rows, new Date(now + leaseMs))
        .catch((err: unknown) => logger.error({ err: errorMessage(err) }, 'outbox lease renewal failed'))
        .finally(() => (renewing = false));
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  // A renewal never keeps a process alive by itself.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
