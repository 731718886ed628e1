import type { AppDeps } from '../app/deps.js';
import { DeliveryError } from '../app/delivery-port.js';
import { deliveriesTotal } from '../app/metrics.js';
import type { Claimed } from '../app/ports/outbox.js';
import { DEFAULT_MAX_ATTEMPTS, retryDelayMs } from './backoff.js';
import { giveUp } from './failures.js';
import { silentLogger, type JobLogger } from './logger.js';
import { parsePayload } from './payload.js';
import { route, type RouteContext } from './route.js';
import type { DeliverySummary } from './summary.js';
import type { SentMarker, WorkerOptions } from './worker.js';

/**
 * One claimed row: released when the worker is stopping, else sent where its recipient is found and marked
 * sent, put off, retried or given up (see `failed`), or counted lost when its lease went to another worker.
 */
export async function deliverOne(
  deps: AppDeps,
  options: WorkerOptions,
  c: Claimed,
  summary: DeliverySummary,
  markSent: SentMarker,
): Promise<void> {
  const logger = options.logger ?? silentLogger;
  if (options.signal?.aborted) {
    await deps.store.outbox.release(c, deps.now());
    summary.released += 1;
    return;
  }
  const log = { outboxId: c.row.id, dedupeKey: c.row.dedupeKey };
  const parsed = parsePayload(c.row.payload);
  if (!parsed.ok) {
    if (
      await giveUp(
        deps,
        c,
        undefined,
        { kind: 'failed', error: parsed.error, attempts: c.row.attempts + 1, permanent: true },
        deps.now(),
      )
    ) {
      summary.dead += 1;
      deliveriesTotal.inc({ platform: 'none', result: 'dead' });
    }
    logger.error({ ...log, error: parsed.error }, 'outbox row unreadable; given up');
    return;
  }
  const payload = parsed.payload;
  const ctx: RouteContext = { deps, senders: options.senders, claimed: c, payload, now: deps.now() };
  try {
    const result = await route(ctx);
    if (result.kind === 'delivered') {
      await markSent({ claimed: c, deliveredTo: result.deliveredTo });
    } else if (result.kind === 'unreachable') {
      if (await giveUp(deps, c, payload, { kind: 'unreachable', who: result.who }, deps.now())) {
        summary.unreachable += 1;
        deliveriesTotal.inc({ platform: 'none', result: 'unreachable' });
        logger.warn(
          {
            ...log,
            transferId: payload.transferId,
            // A person by their user id only: their name and e-mail address are kept out of the log.
            who: result.who.kind === 'user' ? { kind: 'user', userId: result.who.userId } : result.who,
          },
          'recipient unreachable on every platform',
        );
      } else {
        lost(summary, logger, log);
      }
    } else if (result.kind === 'later') {
      // Put off, as it was: no attempt counted, looked at again when the message it waits for may be done.
      if (await deps.store.outbox.markRetry(c, result.until, c.row.attempts, result.why))
        summary.heldBack += 1;
      else lost(summary, logger, log);
    } else {
      lost(summary, logger, log);
    }
  } catch (err) {
    await failed(deps, options, ctx, err, summary);
  }
}

async function failed(
  deps: AppDeps,
  options: WorkerOptions,
  ctx: RouteContext,
  err: unknown,
  summary: DeliverySummary,
): Promise<void> {
  const logger = options.logger ?? silentLogger;
  const c = ctx.claimed;
  const error = errorText(err);
  const hint = err instanceof DeliveryError ? err.options : {};
  if (hint.waitsFor) {
    // Left for a process that serves that platform, as it was: no attempt counted, looked at again later.
    const later = new Date(deps.now().getTime() + WAIT_FOR_PLATFORM_MS);
    if (await deps.store.outbox.markRetry(c, later, c.row.attempts, error)) summary.waitingForPlatform += 1;
    else lost(summary, logger, { outboxId: c.row.id, transferId: ctx.payload.transferId });
    return;
  }
  const attempts = c.row.attempts + 1;
  const platform = ctx.attempting ?? 'none';
  const log = {
    outboxId: c.row.id,
    transferId: ctx.payload.transferId,
    type: ctx.payload.type,
    platform,
    attempts,
    error,
  };
  const permanent = hint.permanent === true;
  if (permanent || attempts >= (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    if (await giveUp(deps, c, ctx.payload, { kind: 'failed', error, attempts, permanent }, deps.now())) {
      summary.dead += 1;
      deliveriesTotal.inc({ platform, result: 'dead' });
      logger.error(
        log,
        permanent ? 'delivery failed permanently; given up' : 'delivery failed too often; given up',
      );
    } else {
      lost(summary, logger, log);
    }
    return;
  }
  const delay = retryDelayMs(attempts, options.random ?? Math.random, hint.retryAfterMs);
  if (await deps.store.outbox.markRetry(c, new Date(deps.now().getTime() + delay), attempts, error)) {
    summary.retried += 1;
    deliveriesTotal.inc({ platform, result: 'retry' });
    logger.warn({ ...log, retryInMs: delay }, 'delivery failed; will retry');
  } else {
    lost(summary, logger, log);
  }
}

/** How long a message left for another platform's process stays out of this one's claims. */
const WAIT_FOR_PLATFORM_MS = 60_000;

export function lost(summary: DeliverySummary, logger: JobLogger, log: object): void {
  summary.lost += 1;
  // The row outlived its lease and another worker took it: what we sent may arrive twice. A lease
  // shorter than a batch takes to deliver causes this; it is worth an operator's look.
  logger.warn(log, 'outbox lease lost while delivering');
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.slice(0, 500);
}
