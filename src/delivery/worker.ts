import type { AppDeps } from '../app/deps.js';
import { DeliveryError, type PlatformSender } from '../app/delivery-port.js';
import { deliveriesTotal } from '../app/metrics.js';
import { DEFAULT_MAX_ATTEMPTS, retryDelayMs } from './backoff.js';
import { giveUp } from './failures.js';
import { silentLogger, type JobLogger } from './logger.js';
import type { Claimed, DeliveredTo } from '../app/ports/outbox.js';
import { parsePayload } from './payload.js';
import { route, type RouteContext } from './route.js';

export interface WorkerOptions {
  /** The platforms, in order of preference: a person gets a message on the first one that knows them. */
  senders: readonly PlatformSender[];
  /** Rows claimed per round trip. */
  batchSize?: number;
  /** How long a claimed row stays hidden from other workers: longer than a batch takes to send. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Recipients served side by side within a batch; one recipient's messages keep their order. */
  concurrency?: number;
  random?: () => number;
  logger?: JobLogger;
  /** Stops between messages; rows claimed but not yet tried are given back at once. */
  signal?: AbortSignal;
}

export interface DeliverySummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  unreachable: number;
  /** Rows whose lease ran out while we worked on them: another worker owns them now. */
  lost: number;
  /** Rows given back untried because the worker was stopping. */
  released: number;
}

export const DEFAULT_BATCH_SIZE = 25;
export const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_CONCURRENCY = 4;

export function emptySummary(): DeliverySummary {
  return { claimed: 0, sent: 0, retried: 0, dead: 0, unreachable: 0, lost: 0, released: 0 };
}

export function addSummaries(total: DeliverySummary, more: DeliverySummary): DeliverySummary {
  const out = emptySummary();
  for (const key of Object.keys(out) as (keyof DeliverySummary)[]) out[key] = total[key] + more[key];
  return out;
}

/** Claims one batch of due rows and delivers it. */
export async function runOutboxBatch(deps: AppDeps, options: WorkerOptions): Promise<DeliverySummary> {
  const summary = emptySummary();
  if (options.signal?.aborted) return summary;
  const now = deps.now();
  const claimed = await deps.store.outbox.claimDue(
    now,
    new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)),
    options.batchSize ?? DEFAULT_BATCH_SIZE,
  );
  summary.claimed = claimed.length;
  const groups = inOrderLanes(claimed);
  const logger = options.logger ?? silentLogger;
  const marker = sentMarker(deps, summary, logger);
  await inParallel(groups, options.concurrency ?? DEFAULT_CONCURRENCY, async (group) => {
    for (const c of group) {
      try {
        await deliverOne(deps, options, c, summary, marker);
      } catch (err) {
        // Our own bookkeeping failed (database gone): the lease will bring the row back.
        logger.error({ outboxId: c.row.id, err: errorText(err) }, 'outbox bookkeeping failed');
      }
    }
  });
  await marker.settled();
  return summary;
}

/** A row whose message arrived everywhere, to be marked sent with the rest of its batch. */
interface Delivered {
  claimed: Claimed;
  deliveredTo: DeliveredTo;
}

interface SentMarker {
  /** A delivered row: marked sent at once, or with the next statement when one is already running. */
  add(delivered: Delivered): void;
  /** Resolves once every row added is marked (or found lost). */
  settled(): Promise<void>;
}

/**
 * Marks delivered rows sent as they arrive, without one statement per row: while one statement runs,
 * the rows delivered meanwhile wait for the next, which takes them all. A row waits at most one
 * statement beyond its own, so a worker that dies sends again no more than it did with one per row.
 */
function sentMarker(deps: AppDeps, summary: DeliverySummary, logger: JobLogger): SentMarker {
  let waiting: Delivered[] = [];
  let running: Promise<void> | undefined;
  const flush = async () => {
    while (waiting.length > 0) {
      const rows = waiting;
      waiting = [];
      await markDelivered(deps, rows, summary, logger);
    }
    // Reset in the same turn as the last check, so a row added now starts a statement of its own.
    running = undefined;
  };
  return {
    add(delivered) {
      waiting.push(delivered);
      running ??= flush();
    },
    async settled() {
      while (running) await running;
    },
  };
}

/**
 * Delivered rows marked sent in one statement. Until then each stays pending under its lease, so no
 * other worker takes it; a row whose lease ran out meanwhile is not marked (it is lost).
 */
async function markDelivered(
  deps: AppDeps,
  delivered: readonly Delivered[],
  summary: DeliverySummary,
  logger: JobLogger,
): Promise<void> {
  if (delivered.length === 0) return;
  let marked: Set<number>;
  try {
    marked = await deps.store.outbox.markSent(delivered, deps.now());
  } catch (err) {
    // Our own bookkeeping failed (database gone): the leases will bring the rows back.
    const ids = delivered.map((d) => d.claimed.row.id);
    logger.error({ outboxIds: ids, err: errorText(err) }, 'outbox bookkeeping failed');
    return;
  }
  for (const { claimed, deliveredTo } of delivered) {
    if (marked.has(claimed.row.id)) {
      summary.sent += 1;
      for (const l of deliveredTo.deliveries) deliveriesTotal.inc({ platform: l.platform, result: 'sent' });
    } else {
      lost(summary, logger, { outboxId: claimed.row.id, dedupeKey: claimed.row.dedupeKey });
    }
  }
}

/** Delivers batch after batch until nothing is due (or `maxBatches`, or the signal stops it). */
export async function drainOutbox(
  deps: AppDeps,
  options: WorkerOptions & { maxBatches?: number },
): Promise<DeliverySummary> {
  let total = emptySummary();
  for (let i = 0; i < (options.maxBatches ?? Number.POSITIVE_INFINITY); i++) {
    const batch = await runOutboxBatch(deps, options);
    total = addSummaries(total, batch);
    if (batch.claimed === 0 || options.signal?.aborted) break;
  }
  return total;
}

async function deliverOne(
  deps: AppDeps,
  options: WorkerOptions,
  c: Claimed,
  summary: DeliverySummary,
  marker: SentMarker,
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
      marker.add({ claimed: c, deliveredTo: result.deliveredTo });
    } else if (result.kind === 'unreachable') {
      if (await giveUp(deps, c, payload, { kind: 'unreachable', who: result.who }, deps.now())) {
        summary.unreachable += 1;
        deliveriesTotal.inc({ platform: 'none', result: 'unreachable' });
        logger.warn(
          { ...log, transferId: payload.transferId, who: result.who },
          'recipient unreachable on every platform',
        );
      } else {
        lost(summary, logger, log);
      }
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
  const attempts = c.row.attempts + 1;
  const error = errorText(err);
  const hint = err instanceof DeliveryError ? err.options : {};
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

function lost(summary: DeliverySummary, logger: JobLogger, log: object): void {
  summary.lost += 1;
  // The row outlived its lease and another worker took it: what we sent may arrive twice. A lease
  // shorter than a batch takes to deliver causes this; it is worth an operator's look.
  logger.warn(log, 'outbox lease lost while delivering');
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.slice(0, 500);
}

/**
 * Lanes: rows of one recipient about one transfer (or one transfer's card copies) go in order, as the
 * claim keeps them; everything else side by side. A channel's cards about different transfers, the
 * compliance channel's after a burst of decisions, no longer wait for each other.
 */
function inOrderLanes(claimed: Claimed[]): Claimed[][] {
  const groups = new Map<string, Claimed[]>();
  for (const c of claimed) {
    const { recipientUserId, recipientChannel } = c.row;
    const transfer = String((c.row.payload as { transferId?: unknown }).transferId);
    const key =
      recipientUserId !== null
        ? `u:${recipientUserId}:${transfer}`
        : recipientChannel !== null
          ? `c:${recipientChannel}:${transfer}`
          : `t:${transfer}`;
    const lane = groups.get(key);
    if (lane) lane.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}
