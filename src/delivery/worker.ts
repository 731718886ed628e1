import type { AppDeps } from '../app/deps.js';
import type { PlatformSender } from '../app/delivery-port.js';
import { deliveriesTotal } from '../app/metrics.js';
import { silentLogger, type JobLogger } from './logger.js';
import type { Claimed, DeliveredTo } from '../app/ports/outbox.js';
import { Bell } from './bell.js';
import { deliverOne, errorText, lost } from './deliver-one.js';
import { Lanes, ordersLane } from './lanes.js';
import { handBackDeadClaims, keepLeases } from './leases.js';
import { emptySummary, type DeliverySummary } from './summary.js';
export { addSummaries, emptySummary, type DeliverySummary } from './summary.js';

export interface WorkerOptions {
  /** The platforms, in order of preference: a person gets a message on the first one that knows them. */
  senders: readonly PlatformSender[];
  /** Rows a worker holds at most (claimed, being sent or waiting for their lane). */
  batchSize?: number;
  /**
   * How long a claimed row stays hidden from other workers, renewed every third of it while the row is
   * held: how long a dead worker's rows wait before another takes them.
   */
  leaseMs?: number;
  /**
   * How long a row's lease is renewed at most: past it the worker is presumed stuck on it, and another
   * may take the row. Longer than any one delivery takes.
   */
  holdMs?: number;
  maxAttempts?: number;
  /** Lanes sent side by side; one lane's messages (a recipient's, about one transfer) keep their order. */
  concurrency?: number;
  random?: () => number;
  logger?: JobLogger;
  /** Stops between messages; rows claimed but not yet tried are given back at once. */
  signal?: AbortSignal;
  /**
   * Alone on the database (the embedded one, which one process holds): rows claimed by a process that
   * died are due again at once, not when their lease runs out.
   */
  sole?: boolean;
  /** While rows are held, look for more due rows (other instances', retries) this often. */
  pollMs?: number;
  /** Resolves when rows were written that a running drain should look for (the pump's kicks). */
  written?: () => Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 25;
/**
 * A third of it is the longest a held row goes unrenewed, with room for a renewal that waits on a busy
 * database or a thread the embedded engine holds for a while (a reminder sweep).
 */
export const DEFAULT_LEASE_MS = 30_000;
/**
 * One row makes a few platform calls (find the person, post, redraw a card; three for a file), each
 * given up by the clients after 15 s: a row held longer than this is stuck.
 */
export const DEFAULT_HOLD_MS = 5 * 60_000;
const DEFAULT_CONCURRENCY = 8;
/** After a claim found nothing more, the next, for a lane a finished row let go, waits this long. */
const RECLAIM_SPACING_MS = 50;

/**
 * Delivers until nothing is due and nothing is held (or the signal stops it). Rows are claimed as room
 * frees up, not batch after batch: a message whose call hangs holds its own lane and its place, and
 * the other lanes go on and claim what comes due behind it. Each row is marked sent once it has arrived,
 * before its lane goes on (see sentMarker), so a worker that dies sends again only what was in flight
 * (one row per lane).
 */
export async function drainOutbox(deps: AppDeps, options: WorkerOptions): Promise<DeliverySummary> {
  const summary = emptySummary();
  const logger = options.logger ?? silentLogger;
  if (options.signal?.aborted) return summary;
  if (options.sole) await handBackDeadClaims(deps, logger);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const held = new Map<number, Claimed>();
  const markSent = sentMarker(deps, summary, logger);
  const changed = new Bell();
  /** Whether the last claim may have left rows due: it came back full, or rows came due since. */
  let more = true;
  let lastShortClaim = Number.NEGATIVE_INFINITY;
  const lanes = new Lanes(options.concurrency ?? DEFAULT_CONCURRENCY, async (claimed) => {
    try {
      await deliverOne(deps, options, claimed, summary, markSent);
    } catch (err) {
      // Our own bookkeeping failed (database gone): the lease will bring the row back.
      logger.error({ outboxId: claimed.row.id, err: errorText(err) }, 'outbox bookkeeping failed');
    } finally {
      held.delete(claimed.row.id);
      if (ordersLane(claimed)) more = true;
      changed.ring();
    }
  });
  const onAbort = () => changed.ring();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let lastClaim = Number.NEGATIVE_INFINITY;
  let written: Promise<void> | undefined;
  const renewal = keepLeases(deps, { leaseMs, holdMs: options.holdMs ?? DEFAULT_HOLD_MS }, held, logger);
  try {
    while (!options.signal?.aborted) {
      const room = batchSize - held.size;
      const spaced = held.size === 0 || Date.now() - lastShortClaim >= RECLAIM_SPACING_MS;
      if (more && spaced && room > 0 && (held.size === 0 || held.size <= batchSize / 2)) {
        const now = deps.now();
        lastClaim = Date.now();
        let claimed: Claimed[];
        try {
          claimed = await deps.store.outbox.claimDue(now, new Date(now.getTime() + leaseMs), room);
        } catch (err) {
          if (held.size === 0) throw err;
          // The rows held are still ours: finish them, and look again later.
          logger.error({ err: errorText(err) }, 'outbox claim failed');
          more = false;
          continue;
        }
        summary.claimed += claimed.length;
        if (claimed.length < room) {
          more = false;
          lastShortClaim = Date.now();
        }
        for (const row of claimed) held.set(row.row.id, row);
        for (const row of claimed) lanes.add(row);
        continue;
      }
      if (held.size === 0) break;
      const waits: Promise<unknown>[] = [changed.next()];
      const timers: NodeJS.Timeout[] = [];
      const after = (ms: number, then: () => void) =>
        waits.push(new Promise<void>((resolve) => timers.push(setTimeout(() => resolve(then()), ms))));
      if (more && !spaced) after(RECLAIM_SPACING_MS, () => undefined);
      if (options.pollMs !== undefined)
        after(Math.max(0, lastClaim + options.pollMs - Date.now()), () => (more = true));
      if (options.written) {
        written ??= options.written().then(() => {
          more = true;
          written = undefined;
        });
        waits.push(written);
      }
      await Promise.race(waits);
      for (const timer of timers) clearTimeout(timer);
    }
    // Stopping: what no lane has started yet goes back at once; what is in flight finishes.
    for (const claimed of lanes.takeWaiting()) {
      await deliverOne(deps, options, claimed, summary, markSent).catch((err: unknown) =>
        logger.error({ outboxId: claimed.row.id, err: errorText(err) }, 'outbox bookkeeping failed'),
      );
      held.delete(claimed.row.id);
    }
    while (held.size > 0) await changed.next();
  } finally {
    renewal.stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
  return summary;
}

/** A row whose message arrived everywhere, to be marked sent. */
interface Delivered {
  claimed: Claimed;
  deliveredTo: DeliveredTo;
}

/** Marks a delivered row sent; resolves once it is marked (or found lost). */
export type SentMarker = (delivered: Delivered) => Promise<void>;

/**
 * Marks delivered rows sent, the lanes sharing statements: a row delivered while a statement runs waits
 * for the next one, which takes every row delivered meanwhile (a burst of decisions costs a statement per
 * round, not per message). Its lane waits for the mark before its next row, so a worker that dies has at
 * most one row per lane delivered and not marked: those are the messages a kill may send twice.
 */
function sentMarker(deps: AppDeps, summary: DeliverySummary, logger: JobLogger): SentMarker {
  let waiting: { delivered: Delivered; marked: () => void }[] = [];
  let running = false;
  const flush = async () => {
    running = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      await markDelivered(
        deps,
        group.map((g) => g.delivered),
        summary,
        logger,
      );
      for (const g of group) g.marked();
    }
    // Reset in the same turn as the last check, so a row added now starts a statement of its own.
    running = false;
  };
  return (delivered) =>
    new Promise<void>((marked) => {
      waiting.push({ delivered, marked });
      if (!running) void flush();
    });
}

/**
 * Delivered rows marked sent in one statement. Until then each stays pending under its claim, so no
 * other worker takes it; a row whose claim was lost meanwhile is not marked (it is lost).
 */
async function markDelivered(
  deps: AppDeps,
  delivered: readonly Delivered[],
  summary: DeliverySummary,
  logger: JobLogger,
): Promise<void> {
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
